"""An account's own coverage: its override of the box's mode and cadence (with the reason),
and the person-days a year allocated to it, and to whom."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, long_text

from .coverage import CoverageMode


class AccountCoverage(models.Model):
    """What one account does differently from its box, and what it is given.

    A blank mode or cadence inherits the box's; either one set needs a reason. The owner is
    who spends the allocated days; blank, the account's own owner.
    """

    customer = models.OneToOneField(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="coverage"
    )
    mode = models.CharField(
        _("coverage mode"), max_length=20, choices=CoverageMode.choices, blank=True
    )
    cadence_days = models.PositiveSmallIntegerField(
        _("contact every (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    reason = long_text(_("reason for the override"))
    person_days = models.DecimalField(
        _("allocated person-days a year"),
        max_digits=6,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("covered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("account coverage")
        verbose_name_plural = _("account coverage")

    audit_select_related = ("customer",)

    def __str__(self):
        return str(self.customer)

    def clean(self):
        if (self.mode or self.cadence_days) and not self.reason.strip():
            raise ValidationError(
                {"reason": _("Say why this account is covered differently from its box.")},
                code="reason_required",
            )

    def audit_label(self) -> str:
        return str(self.customer)

    def get_additional_data(self) -> dict:
        return {"customer": self.customer_id}

    @property
    def is_override(self) -> bool:
        return bool(self.mode or self.cadence_days)
