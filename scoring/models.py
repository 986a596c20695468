"""Selection rounds, their weighted factors, and the ratings people give."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Competitor, Customer

RATING_MIN = Decimal("0")
RATING_MAX = Decimal("10")


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


class ScoringRound(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCORING = "scoring", _("Scoring")
        MEETING = "meeting", _("Meeting")
        DECIDED = "decided", _("Decided")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(_("name"), max_length=200)
    date = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    attractiveness_cutoff = models.DecimalField(
        _("attractiveness cut-off"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    strength_cutoff = models.DecimalField(
        _("relative strength cut-off"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")

    def __str__(self):
        return f"{self.name} ({self.date:%Y-%m-%d})"

    def get_additional_data(self) -> dict:
        """Stored with each audit entry, so a round's history is found by its id."""
        return {"round": self.pk}


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

    def get_additional_data(self) -> dict:
        return {"round": self.round_id}

    def clean(self):
        if self.axis == Axis.ATTRACTIVENESS and not self.consideration:
            raise ValidationError(
                {"consideration": _("An attractiveness factor needs its consideration.")}
            )
        if self.axis == Axis.STRENGTH and self.consideration:
            raise ValidationError(
                {"consideration": _("Only attractiveness factors carry a consideration.")}
            )


class Rating(models.Model):
    """A rater's 0-10 rating of a customer on a factor.

    On strength factors the subject is us (no competitor) or one competitor, as the
    customer perceives them; attractiveness ratings never name a competitor.
    """

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="ratings"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="ratings"
    )
    factor = models.ForeignKey(
        Factor, verbose_name=_("factor"), on_delete=models.CASCADE, related_name="ratings"
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rater"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    competitor = models.ForeignKey(
        Competitor,
        verbose_name=_("competitor"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ratings",
        help_text=_("Empty when the rating is of us."),
    )
    value = models.DecimalField(
        _("rating"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        # Without it a rater may rate only the accounts they own (sales managers).
        permissions = [("rate_any_account", _("Can rate any account, not only their own"))]
        constraints = [
            # Two partial constraints because NULL competitors are distinct in SQL uniqueness.
            models.UniqueConstraint(
                fields=["factor", "customer", "rater"],
                condition=models.Q(competitor__isnull=True),
                name="rating_unique_us",
            ),
            models.UniqueConstraint(
                fields=["factor", "customer", "rater", "competitor"],
                condition=models.Q(competitor__isnull=False),
                name="rating_unique_competitor",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0) & models.Q(value__lte=10),
                name="rating_value_0_to_10",
            ),
        ]
        indexes = [models.Index(fields=["round", "customer"])]

    def __str__(self):
        subject = self.competitor.name if self.competitor_id else _("us")
        return f"{self.customer} / {self.factor.name} / {subject}: {self.value}"

    def get_additional_data(self) -> dict:
        return {"round": self.round_id, "customer": self.customer_id}

    @property
    def subject_label(self):
        return self.competitor.name if self.competitor_id else _("us")

    def clean(self):
        if self.factor_id and self.round_id and self.factor.round_id != self.round_id:
            raise ValidationError({"factor": _("The factor belongs to another round.")})
        if self.factor_id and self.factor.axis == Axis.ATTRACTIVENESS and self.competitor_id:
            raise ValidationError(
                {"competitor": _("Attractiveness ratings are of the customer, not a competitor.")}
            )
