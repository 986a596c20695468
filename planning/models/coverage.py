"""How each box is covered: the default coverage mode, contact cadence and resources that
every account decided into the box inherits (KAISM.md section 2, step 4)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Box(models.TextChoices):
    """The four boxes of the matrix, as scoring's engine names them."""

    KEY = "key", _("Key")
    KEY_DEVELOPMENT = "key_development", _("Key development")
    MAINTENANCE = "maintenance", _("Maintenance")
    OPPORTUNISTIC = "opportunistic", _("Opportunistic")


class CoverageMode(models.TextChoices):
    DEDICATED_TEAM = "dedicated_team", _("Farmer with a dedicated team")
    SELECTIVE = "selective", _("Farmer, invest selectively")
    EFFICIENT = "efficient", _("Efficient coverage, protect margin")
    MILK_ROUND = "milk_round", _("Milk round: service centre, telesales, e-commerce")


class BoxCoverage(models.Model):
    """An admin's defaults for one box: coverage mode, how often its accounts are
    contacted, and the person-days a year the box may use (in all, and per account)."""

    box = models.CharField(_("box"), max_length=20, choices=Box.choices, unique=True)
    mode = models.CharField(_("coverage mode"), max_length=20, choices=CoverageMode.choices)
    cadence_days = models.PositiveSmallIntegerField(
        _("contact every (days)"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    budget_person_days = models.DecimalField(
        _("budget (person-days a year)"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    norm_person_days = models.DecimalField(
        _("norm per account (person-days a year)"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("box coverage")
        verbose_name_plural = _("box coverage")
        ordering = ["box"]
        # The selection team and admins plan any account; sales managers only their own.
        permissions = [("plan_any_account", _("Can plan any account"))]

    def __str__(self):
        return str(self.get_box_display())


# What a box holds before an admin changes it (migration 0002 writes a frozen copy of these
# rows); a box whose row is missing reads these values.
BOX_COVERAGE_DEFAULTS = {
    Box.KEY: {
        "mode": CoverageMode.DEDICATED_TEAM,
        "cadence_days": 14,
        "budget_person_days": Decimal("400.0"),
        "norm_person_days": Decimal("20.0"),
    },
    Box.KEY_DEVELOPMENT: {
        "mode": CoverageMode.SELECTIVE,
        "cadence_days": 30,
        "budget_person_days": Decimal("300.0"),
        "norm_person_days": Decimal("10.0"),
    },
    Box.MAINTENANCE: {
        "mode": CoverageMode.EFFICIENT,
        "cadence_days": 90,
        "budget_person_days": Decimal("200.0"),
        "norm_person_days": Decimal("3.0"),
    },
    Box.OPPORTUNISTIC: {
        "mode": CoverageMode.MILK_ROUND,
        "cadence_days": 180,
        "budget_person_days": Decimal("100.0"),
        "norm_person_days": Decimal("1.0"),
    },
}
