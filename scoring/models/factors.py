"""A round's weighted factors, and the ratings the ledger gives derived ones."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer

from .choices import (
    STRENGTH_METRICS,
    Axis,
    Consideration,
    Derivation,
    DerivedMetric,
    rating_field,
)
from .rounds import ScoringRound


class Factor(models.Model):
    round = models.ForeignKey(
        ScoringRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="factors"
    )
    axis = models.CharField(_("axis"), max_length=16, choices=Axis.choices)
    name = models.CharField(_("name"), max_length=120)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    consideration = models.CharField(
        _("consideration"),
        max_length=16,
        choices=Consideration.choices,
        blank=True,
        help_text=_("Attractiveness factors only."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # A derived factor is rated automatically from a metric, not by people: a ledger metric
    # rates an attractiveness factor; the NPS rates our own strength (competitors' strength
    # on it is still rated by people).
    metric = models.CharField(
        _("derived from"), max_length=16, choices=DerivedMetric.choices, blank=True
    )
    derivation = models.CharField(
        _("derived by"), max_length=12, choices=Derivation.choices, blank=True
    )
    bands = models.JSONField(
        _("bands"),
        default=list,
        blank=True,
        help_text=_("For banded derivation: [[lowest value, rating], ...], lowest first."),
    )
    rubric_low = models.CharField(_("what a 0 means"), max_length=255, blank=True)
    rubric_mid = models.CharField(_("what a 5 means"), max_length=255, blank=True)
    rubric_high = models.CharField(_("what a 10 means"), max_length=255, blank=True)

    class Meta:
        ordering = ["round", "axis", "position", "id"]
        verbose_name = _("factor")
        verbose_name_plural = _("factors")
        constraints = [
            models.UniqueConstraint(fields=["round", "axis", "name"], name="factor_unique_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.get_axis_display()}, {self.weight})"

    def audit_label(self) -> str:
        """The factor's name; its axis and weight, as they were, are in the changes."""
        return self.name

    @property
    def derived(self) -> bool:
        return bool(self.metric)

    def get_additional_data(self) -> dict:
        return {"round": self.round_id}

    def clean(self):
        strength_metric = self.metric in STRENGTH_METRICS
        if self.metric and not strength_metric and self.axis != Axis.ATTRACTIVENESS:
            raise ValidationError({"metric": _("Only attractiveness factors can be derived.")})
        if strength_metric and self.axis != Axis.STRENGTH:
            raise ValidationError(
                {"metric": _("The Net Promoter Score rates strength factors only.")}
            )
        if self.metric and not self.derivation:
            raise ValidationError({"derivation": _("Choose how the rating is derived.")})
        if self.metric and self.derivation == Derivation.BANDS and not self.bands:
            raise ValidationError({"bands": _("Give at least one band: lowest value and rating.")})
        if self.axis == Axis.ATTRACTIVENESS and not self.consideration:
            raise ValidationError(
                {"consideration": _("An attractiveness factor needs its consideration.")}
            )
        if self.axis == Axis.STRENGTH and self.consideration:
            raise ValidationError(
                {"consideration": _("Only attractiveness factors carry a consideration.")}
            )


class DerivedRating(models.Model):
    """A derived factor's rating of one account, computed from the ledger metrics."""

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    factor = models.ForeignKey(
        Factor, verbose_name=_("factor"), on_delete=models.CASCADE, related_name="derived_ratings"
    )
    value = rating_field(_("rating"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("derived rating")
        verbose_name_plural = _("derived ratings")
        constraints = [
            models.UniqueConstraint(fields=["factor", "customer"], name="derivedrating_unique")
        ]

    def __str__(self):
        return f"{self.customer} / {self.factor.name}: {self.value}"
