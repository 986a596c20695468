"""The settings admins keep for the whole company."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kamapp.request_memo import request_memo, request_memo_forget

from .ledger import LedgerLine
from .validators import CURRENCY_CODE

# Cut-offs sit on the rating scale.
RATING_SCALE = [MinValueValidator(0), MaxValueValidator(10)]


class CompanySettings(models.Model):
    """The company-wide settings admins keep: one row, read with `CompanySettings.load()`."""

    class Measure(models.TextChoices):
        REVENUE = "revenue", _("Revenue")
        MARGIN = "margin", _("Margin")

    currency = models.CharField(
        _("currency"), max_length=3, default="IDR", validators=[CURRENCY_CODE]
    )
    # Pareto tiers (KAISM section 1).
    measure = models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, default=Measure.REVENUE
    )
    period_months = models.PositiveSmallIntegerField(
        _("period in months"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    # Off: the trailing months ending on the last ledger date (a ledger ending 9 December
    # covers 10 December to 9 December). On: whole calendar months ending with its month.
    period_calendar_months = models.BooleanField(
        _("period in complete calendar months"),
        default=False,
        help_text=_(
            "Off: the trailing months ending on the last ledger date. On: the calendar "
            "months ending with the month of the last ledger date."
        ),
    )
    tier_a_share = models.DecimalField(
        _("tier A up to cumulative share (%)"), max_digits=5, decimal_places=2, default=80
    )
    tier_b_share = models.DecimalField(
        _("tier B up to cumulative share (%)"), max_digits=5, decimal_places=2, default=95
    )
    # Matrix (KAISM section 3): defaults for new rounds and the names of the boxes.
    attractiveness_cutoff = models.DecimalField(
        _("default attractiveness cut-off"),
        max_digits=4,
        decimal_places=2,
        default=5,
        validators=RATING_SCALE,
    )
    strength_cutoff = models.DecimalField(
        _("default relative strength cut-off"),
        max_digits=4,
        decimal_places=2,
        default=5,
        validators=RATING_SCALE,
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
    # Key-account signals and relationship stage (KAISM sections 1 and 4).
    large_buyer_tier = models.CharField(
        _("large buyer: revenue in tier"),
        max_length=1,
        choices=[("A", _("A")), ("B", _("A or B"))],
        default="A",
    )
    large_buyer_min_months = models.PositiveSmallIntegerField(
        _("large buyer: months with purchases (of the period)"), default=10
    )
    loyal_years = models.PositiveSmallIntegerField(
        _("loyal: years since the first purchase"), default=3
    )
    growing_growth = models.DecimalField(
        _("growing: growth above (%)"), max_digits=6, decimal_places=2, default=10
    )
    declining_growth = models.DecimalField(
        _("declining: growth below (%)"), max_digits=6, decimal_places=2, default=-10
    )
    lapsed_months = models.PositiveSmallIntegerField(
        _("lapsed: months without a purchase"), default=3
    )
    late_payer_days = models.DecimalField(
        _("late payer: average days late above"), max_digits=6, decimal_places=1, default=15
    )

    class Meta:
        verbose_name = _("company settings")
        verbose_name_plural = _("company settings")

    def __str__(self):
        return str(_("Company settings"))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        request_memo_forget(_MEMO_KEY)

    def clean(self):
        super().clean()
        self._currency_check()
        a, b = self.tier_a_share, self.tier_b_share
        if a is None or b is None:
            return
        if not 0 < a < b <= 100:
            raise ValidationError(
                {
                    "tier_b_share": _(
                        "Tier shares must satisfy 0 < tier A (%(a)s%%) < tier B (%(b)s%%) ≤ 100%%."
                    )
                    % {"a": a, "b": b}
                }
            )

    def _currency_check(self) -> None:
        # Stored amounts are in the currency they were converted to: changing it would
        # relabel them without converting them (an import still storing counts too).
        stored = CompanySettings.objects.filter(pk=self.pk).values_list("currency", flat=True)
        if stored and stored[0] != self.currency and LedgerLine.stored.exists():
            raise ValidationError(
                {
                    "currency": _(
                        "The ledger is stored in %(currency)s: the company's currency cannot "
                        "change while ledger lines exist."
                    )
                    % {"currency": stored[0]}
                }
            )

    @classmethod
    def load(cls) -> "CompanySettings":
        """The one row, read once per request: a page's selectors, filters and context all
        ask for it."""
        return request_memo(_MEMO_KEY, lambda: cls.objects.get_or_create(pk=1)[0])


_MEMO_KEY = "company_settings"
