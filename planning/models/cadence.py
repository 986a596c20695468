"""The nightly cadence check's findings: each account whose contact is overdue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer


class CadenceFlag(models.Model):
    """One account overdue for contact, as the last nightly check found it.

    The check replaces the flags each night: an account no longer overdue loses its flag,
    one still overdue keeps the date it was first flagged. Not audited: the job writes these
    from the contact log, which is audited itself.
    """

    customer = models.OneToOneField(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="cadence_flag"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_contact = models.DateField(_("last contact"), null=True, blank=True)
    cadence_days = models.PositiveSmallIntegerField(_("contact every (days)"))
    flagged_on = models.DateField(_("first flagged on"))
    checked_on = models.DateField(_("last checked on"))
    # The day the owner's digest named this flag: a check run again that day (a task
    # redelivered after its worker died, or started by hand) sends that owner nothing more.
    digest_sent_on = models.DateField(_("digest sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("overdue contact")
        verbose_name_plural = _("overdue contacts")
        # Never contacted first, then the longest silent.
        ordering = [models.F("last_contact").asc(nulls_first=True), "customer__name"]

    def __str__(self):
        return str(self.customer)
