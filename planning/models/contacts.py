"""The people we know at an account (its relationship map) and each contact we had with
them (the contact log that the cadence is measured against)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, long_text


class Contact(models.Model):
    """A person at the customer: who they are, what part they play in buying, how they stand
    towards us and who on our side owns the relationship."""

    class BuyingRole(models.TextChoices):
        DECISION_MAKER = "decision_maker", _("Decision maker")
        INFLUENCER = "influencer", _("Influencer")
        USER = "user", _("User")
        GATEKEEPER = "gatekeeper", _("Gatekeeper")
        SPONSOR = "sponsor", _("Executive sponsor")

    class Stance(models.TextChoices):
        ADVOCATE = "advocate", _("Advocate")
        SUPPORTER = "supporter", _("Supporter")
        NEUTRAL = "neutral", _("Neutral")
        SCEPTIC = "sceptic", _("Sceptic")
        HOSTILE = "hostile", _("Hostile")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    buying_role = models.CharField(_("role in buying"), max_length=20, choices=BuyingRole.choices)
    stance = models.CharField(
        _("stance towards us"), max_length=20, choices=Stance.choices, default=Stance.NEUTRAL
    )
    relationship_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("relationship owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Someone who left the customer stays on old log entries but off the map.
    active = models.BooleanField(_("still there"), default=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["customer", "name", "id"]

    def __str__(self):
        return self.name

    def audit_label(self) -> str:
        return f"{self.name} ({self.customer.name})"


class ContactLogEntry(models.Model):
    """One contact with the account: when, with whom, how and at which touch point."""

    class Channel(models.TextChoices):
        VISIT = "visit", _("Visit")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video call")
        EMAIL = "email", _("E-mail")
        EVENT = "event", _("Event")
        OTHER = "other", _("Other")

    class TouchPoint(models.TextChoices):
        PRE_PURCHASE = "pre_purchase", _("Pre-purchase")
        PURCHASE = "purchase", _("Purchase")
        POST_PURCHASE = "post_purchase", _("Post-purchase")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contact_log"
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="log_entries",
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    touch_point = models.CharField(_("touch point"), max_length=20, choices=TouchPoint.choices)
    note = long_text(_("note"))
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")
        ordering = ["-date", "-id"]
        # "Last contact" of every account in one grouped read.
        indexes = [models.Index(fields=["customer", "-date"], name="contactlog_customer_date")]

    def __str__(self):
        return f"{self.customer.name} {self.date:%Y-%m-%d}"

    def audit_label(self) -> str:
        return str(self)
