"""The rating scale and the choices a round's factors are made of."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

RATING_MIN = Decimal("0")
RATING_MAX = Decimal("10")


def rating_field(verbose_name) -> models.DecimalField:
    """A value on the rating scale, 0 to 10 with two decimals."""
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )


class Axis(models.TextChoices):
    ATTRACTIVENESS = "attractiveness", _("Customer attractiveness")
    STRENGTH = "strength", _("Relative strength")


class Consideration(models.TextChoices):
    """Where an attractiveness factor comes from (KAISM step 7)."""

    PURE = "pure", _("Pure attractiveness")
    SUCCESS = "success", _("Likelihood of success")
    LONG_TERM = "long_term", _("Long-term fit")
    OPPORTUNITY = "opportunity", _("Specific opportunity")
    RESOURCES = "resources", _("Realistic resources")


class DerivedMetric(models.TextChoices):
    """Metrics a factor can be rated from automatically: the ledger's rate attractiveness
    factors; the Net Promoter Score (the customer's view of us, computed by the app that
    registers its provider, see `scoring.metric_providers`) rates our own strength."""

    REVENUE = "revenue", _("Revenue")
    GROWTH = "growth", _("Growth")
    MONTHS_ACTIVE = "months_active", _("Months with purchases")
    TENURE = "tenure", _("Tenure (years)")
    MARGIN = "margin", _("Margin")
    NPS = "nps", _("Net Promoter Score")


# The axis each derived metric rates: the customer's view of us is strength.
STRENGTH_METRICS = frozenset({DerivedMetric.NPS})


class Derivation(models.TextChoices):
    PERCENTILE = "percentile", _("Percentile among the round's accounts")
    BANDS = "bands", _("Bands set by an admin")
