"""Selection rounds, their weighted factors, and the ratings people give."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Competitor, Customer, long_text

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


class DerivedMetric(models.TextChoices):
    """Ledger metrics an attractiveness factor can be rated from automatically."""

    REVENUE = "revenue", _("Revenue")
    GROWTH = "growth", _("Growth")
    MONTHS_ACTIVE = "months_active", _("Months with purchases")
    TENURE = "tenure", _("Tenure (years)")
    MARGIN = "margin", _("Margin")


class Derivation(models.TextChoices):
    PERCENTILE = "percentile", _("Percentile among the round's accounts")
    BANDS = "bands", _("Bands set by an admin")


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
        return f"{self.name} ({self.date})"

    @property
    def is_locked(self) -> bool:
        """Decided and archived rounds accept no change at all; corrections need a new round."""
        return self.status in LOCKED_STATUSES

    @property
    def ratings_revealed(self) -> bool:
        """Scoring is blind: everyone's ratings are shown from the meeting on, never before."""
        return self.status not in BLIND_STATUSES

    @property
    def accepts_ratings(self) -> bool:
        return self.status in RATING_STATUSES

    @property
    def in_meeting(self) -> bool:
        return self.status == self.Status.MEETING

    def get_additional_data(self) -> dict:
        """Stored with each audit entry, so a round's history is found by its id."""
        return {"round": self.pk}


LOCKED_STATUSES = frozenset({ScoringRound.Status.DECIDED, ScoringRound.Status.ARCHIVED})
BLIND_STATUSES = frozenset({ScoringRound.Status.DRAFT, ScoringRound.Status.SCORING})
RATING_STATUSES = frozenset({ScoringRound.Status.SCORING, ScoringRound.Status.MEETING})


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
    # A derived factor is rated automatically from a ledger metric, not by people.
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

    @property
    def derived(self) -> bool:
        return bool(self.metric)

    def get_additional_data(self) -> dict:
        return {"round": self.round_id}

    def clean(self):
        if self.metric and self.axis != Axis.ATTRACTIVENESS:
            raise ValidationError({"metric": _("Only attractiveness factors can be derived.")})
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


class Rating(models.Model):
    """A rater's 0-10 rating of a customer on a factor.

    On strength factors the subject is us (no competitor) or one competitor, as the
    customer perceives them; attractiveness ratings never name a competitor.
    """

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="ratings"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="ratings"
    )
    factor = models.ForeignKey(
        Factor, verbose_name=_("factor"), on_delete=models.CASCADE, related_name="ratings"
    )
    # PROTECT on people, accounts and competitors: removing one must never take ratings out
    # of a decided round (deactivate the user instead; the admin says what blocks a delete).
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rater"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    competitor = models.ForeignKey(
        Competitor,
        verbose_name=_("competitor"),
        on_delete=models.PROTECT,
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
        # The audit trail stores this text; a blind round's history shows others' entries
        # cut at the last ": ", so the value stays last.
        return f"{self.cell_label}: {self.value}"

    def get_additional_data(self) -> dict:
        """With the rater: a blind round's history shows only their own entries' values."""
        return {"round": self.round_id, "customer": self.customer_id, "rater": self.rater_id}

    @property
    def cell_label(self) -> str:
        """The cell rated (account, factor, subject), without the value."""
        return f"{self.customer} / {self.factor.name} / {self.subject_label}"

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


class RoundMember(models.Model):
    """A member of the selection team for one round, with their team role (KAISM step 3)."""

    class TeamRole(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        RESOURCE_INVESTIGATOR = "resource_investigator", _("Resource investigator")
        MONITOR_EVALUATOR = "monitor_evaluator", _("Monitor/evaluator")
        IMPLEMENTER = "implementer", _("Implementer")

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="round_memberships",
    )
    team_role = models.CharField(_("team role"), max_length=24, choices=TeamRole.choices)

    class Meta:
        ordering = ["round", "team_role", "user__username"]
        verbose_name = _("round member")
        verbose_name_plural = _("round members")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="roundmember_unique_user")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_team_role_display()})"

    def get_additional_data(self) -> dict:
        return {"round": self.round_id}


class Consensus(models.Model):
    """The value the team agreed for one rating cell; the matrix uses it over the mean."""

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="consensus"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    factor = models.ForeignKey(
        Factor, verbose_name=_("factor"), on_delete=models.CASCADE, related_name="consensus"
    )
    competitor = models.ForeignKey(
        Competitor,
        verbose_name=_("competitor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    value = models.DecimalField(
        _("consensus"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("consensus")
        verbose_name_plural = _("consensus values")
        constraints = [
            models.UniqueConstraint(
                fields=["factor", "customer"],
                condition=models.Q(competitor__isnull=True),
                name="consensus_unique_us",
            ),
            models.UniqueConstraint(
                fields=["factor", "customer", "competitor"],
                condition=models.Q(competitor__isnull=False),
                name="consensus_unique_competitor",
            ),
        ]

    def __str__(self):
        return f"{self.customer} / {self.factor.name}: {self.value}"

    def get_additional_data(self) -> dict:
        return {"round": self.round_id, "customer": self.customer_id}


class Decision(models.Model):
    """What the team decided for one account in a round, and why."""

    class Choice(models.TextChoices):
        KEY = "key", _("Selected as key account")
        KEY_DEVELOPMENT = "key_development", _("Key development")
        MAINTENANCE = "maintenance", _("Maintenance")
        OPPORTUNISTIC = "opportunistic", _("Opportunistic")
        DESELECTED = "deselected", _("De-selected")

    class Coverage(models.TextChoices):
        FARMER = "farmer", _("Farmer")
        HUNTER = "hunter", _("Hunter")
        MILK_ROUND = "milk_round", _("Milk round")

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="decisions"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="decisions"
    )
    choice = models.CharField(_("decision"), max_length=20, choices=Choice.choices)
    coverage = models.CharField(_("coverage"), max_length=12, choices=Coverage.choices)
    rationale = long_text(_("rationale"))
    box_at_decision = models.CharField(_("box when decided"), max_length=20, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        ordering = ["round", "customer__name"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["round", "customer"], name="decision_unique_customer")
        ]

    def __str__(self):
        return f"{self.customer}: {self.get_choice_display()}"

    def get_additional_data(self) -> dict:
        return {"round": self.round_id, "customer": self.customer_id}


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
    value = models.DecimalField(
        _("rating"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("derived rating")
        verbose_name_plural = _("derived ratings")
        constraints = [
            models.UniqueConstraint(fields=["factor", "customer"], name="derivedrating_unique")
        ]

    def __str__(self):
        return f"{self.customer} / {self.factor.name}: {self.value}"
