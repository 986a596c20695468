"""Customers, their segments and competitors, and the sales ledger they are measured by."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return self.name


class Competitor(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")

    def __str__(self):
        return self.name


class Customer(models.Model):
    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_customers",
    )
    competitor_targeted = models.BooleanField(
        _("targeted by a competitor"),
        default=False,
        help_text=_("Set by a sales manager when a competitor is courting this customer."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_additional_data(self) -> dict:
        """Stored with each audit entry, so an account's history is found by its id."""
        return {"customer": self.pk}


class LedgerLine(models.Model):
    """One invoice line; credit notes and returns are kept as negative amounts."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="ledger_lines"
    )
    invoice_number = models.CharField(_("invoice number"), max_length=64)
    # Stable identity of the line within its invoice, so re-imports never double-count.
    line_key = models.CharField(_("line key"), max_length=64)
    invoice_date = models.DateField(_("invoice date"), db_index=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    product_code = models.CharField(_("product code"), max_length=64, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=16, decimal_places=2, null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    paid_date = models.DateField(_("paid date"), null=True, blank=True)

    class Meta:
        ordering = ["-invoice_date", "invoice_number", "line_key"]
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice_number", "line_key"], name="ledgerline_unique_invoice_line"
            )
        ]
        indexes = [models.Index(fields=["customer", "invoice_date"])]

    def __str__(self):
        return f"{self.invoice_number}/{self.line_key}"


class CompanySettings(models.Model):
    """The company-wide settings admins keep: one row, read with `CompanySettings.load()`."""

    class Measure(models.TextChoices):
        REVENUE = "revenue", _("Revenue")
        MARGIN = "margin", _("Margin")

    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    # Pareto tiers (KAISM section 1).
    measure = models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, default=Measure.REVENUE
    )
    period_months = models.PositiveSmallIntegerField(_("period in months"), default=12)
    tier_a_share = models.DecimalField(
        _("tier A up to cumulative share (%)"), max_digits=5, decimal_places=2, default=80
    )
    tier_b_share = models.DecimalField(
        _("tier B up to cumulative share (%)"), max_digits=5, decimal_places=2, default=95
    )
    # Matrix (KAISM section 3): defaults for new rounds and the names of the boxes.
    attractiveness_cutoff = models.DecimalField(
        _("default attractiveness cut-off"), max_digits=4, decimal_places=2, default=5
    )
    strength_cutoff = models.DecimalField(
        _("default relative strength cut-off"), max_digits=4, decimal_places=2, default=5
    )
    box_key_name = models.CharField(_("name of the key box"), max_length=60, default="Key")
    box_key_development_name = models.CharField(
        _("name of the key development box"), max_length=60, default="Key development"
    )
    box_maintenance_name = models.CharField(
        _("name of the maintenance box"), max_length=60, default="Maintenance"
    )
    box_opportunistic_name = models.CharField(
        _("name of the opportunistic box"), max_length=60, default="Opportunistic"
    )
    key_account_limit = models.PositiveSmallIntegerField(
        _("warn above this many key accounts"), default=35
    )

    class Meta:
        verbose_name = _("company settings")
        verbose_name_plural = _("company settings")

    def __str__(self):
        return str(_("Company settings"))

    @classmethod
    def load(cls) -> "CompanySettings":
        return cls.objects.get_or_create(pk=1)[0]
