"""Exchange rates admins keep, so that ledger lines in other currencies are converted."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .company import CompanySettings
from .validators import CURRENCY_CODE


class CurrencyRate(models.Model):
    """How many units of the company's currency one unit of `currency` was worth in a
    calendar month: ledger lines of that month are converted with it."""

    currency = models.CharField(_("currency"), max_length=3, validators=[CURRENCY_CODE])
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    rate = models.DecimalField(
        _("rate"),
        max_digits=20,
        decimal_places=8,
        validators=[MinValueValidator(0)],
        help_text=_("Units of the company's currency per one unit of this currency."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["currency", "-month"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "month"], name="currencyrate_unique_month")
        ]

    def __str__(self):
        return f"{self.currency} {self.month:%Y-%m}: {self.rate}"

    def clean(self):
        super().clean()
        if self.rate is not None and self.rate <= 0:
            raise ValidationError({"rate": _("A rate is more than zero.")})
        if isinstance(self.month, dt.date) and self.month.day != 1:
            self.month = self.month.replace(day=1)
        if self.currency and self.currency == CompanySettings.load().currency:
            raise ValidationError({"currency": _("The company's own currency needs no rate.")})

    @property
    def month_key(self) -> str:
        return f"{self.month:%Y-%m}"
