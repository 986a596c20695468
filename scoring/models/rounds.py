"""Selection rounds, their stages, and who is on each round's team."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .choices import RATING_MAX, RATING_MIN


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
    # The team also rates where each account's attractiveness will be in three years
    # (ForesightRating), and the matrix shows the move from today's position.
    foresight = models.BooleanField(_("Rate where accounts will be in three years"), default=False)
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
        return f"{self.name} ({date_format(self.date)})"

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

    @property
    def foresight_shown(self) -> bool:
        """The three-year view is the team's, agreed in the meeting: shown with the revealed
        ratings, never during blind scoring."""
        return self.foresight and self.ratings_revealed

    def get_additional_data(self) -> dict:
        """Stored with each audit entry, so a round's history is found by its id."""
        return {"round": self.pk}


LOCKED_STATUSES = frozenset({ScoringRound.Status.DECIDED, ScoringRound.Status.ARCHIVED})
BLIND_STATUSES = frozenset({ScoringRound.Status.DRAFT, ScoringRound.Status.SCORING})
RATING_STATUSES = frozenset({ScoringRound.Status.SCORING, ScoringRound.Status.MEETING})


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

    audit_select_related = ("user",)

    def __str__(self):
        return f"{self.user} ({self.get_team_role_display()})"

    def audit_label(self) -> str:
        """The member; their role, as it was, is in the entry's changes."""
        return str(self.user)

    def get_additional_data(self) -> dict:
        return {"round": self.round_id}
