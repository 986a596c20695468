"""Writes of a round's life: creating it, its stages and its team."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import CompanySettings
from kamapp.audit import audit_log_save

from ..models import Axis, Factor, RoundMember, ScoringRound
from ..permissions import require_coordinator, user_leads_team
from ..signals import round_stage_changed
from .derived import derived_ratings_refresh

# Where a round may go from each stage: forward, or one step back to correct something.
STAGE_FLOW = {
    ScoringRound.Status.DRAFT: {ScoringRound.Status.SCORING},
    ScoringRound.Status.SCORING: {ScoringRound.Status.DRAFT, ScoringRound.Status.MEETING},
    ScoringRound.Status.MEETING: {ScoringRound.Status.SCORING, ScoringRound.Status.DECIDED},
    ScoringRound.Status.DECIDED: {ScoringRound.Status.ARCHIVED},
    ScoringRound.Status.ARCHIVED: set(),
}


def round_check_open(*, scoring_round: ScoringRound) -> None:
    if scoring_round.is_locked:
        raise ValidationError(
            _("This round is %(status)s: nothing in it can change. Start a new round instead."),
            params={"status": scoring_round.get_status_display().lower()},
            code="locked",
        )


@transaction.atomic
def round_create(
    *,
    name: str,
    date,
    created_by,
    copy_factors_from: ScoringRound | None = None,
    foresight: bool = False,
) -> ScoringRound:
    """A new round in draft, optionally starting from another round's factor set."""
    company = CompanySettings.load()
    scoring_round = ScoringRound(
        name=name,
        date=date,
        created_by=created_by,
        attractiveness_cutoff=company.attractiveness_cutoff,
        strength_cutoff=company.strength_cutoff,
        foresight=foresight,
    )
    scoring_round.full_clean()
    scoring_round.save()
    if copy_factors_from is not None:
        copied = Factor.objects.bulk_create(
            Factor(
                round=scoring_round,
                axis=factor.axis,
                name=factor.name,
                weight=factor.weight,
                consideration=factor.consideration,
                position=factor.position,
                rubric_low=factor.rubric_low,
                rubric_mid=factor.rubric_mid,
                rubric_high=factor.rubric_high,
                metric=factor.metric,
                derivation=factor.derivation,
                bands=factor.bands,
            )
            for factor in copy_factors_from.factors.all()
        )
        for factor in copied:  # bulk_create sends no signals
            audit_log_save(old=None, new=factor)
        derived_ratings_refresh(rounds=[scoring_round])
    return scoring_round


def round_check_axes(*, scoring_round: ScoringRound) -> None:
    """Scoring needs factors on both axes: an axis without any places no account."""
    present = set(scoring_round.factors.values_list("axis", flat=True))
    for axis in (Axis.ATTRACTIVENESS, Axis.STRENGTH):
        if axis not in present:
            raise ValidationError(
                _("Scoring cannot start: the round has no factor on the %(axis)s axis."),
                params={"axis": axis.label},
                code="no_axis_factors",
            )


def round_transition(*, scoring_round: ScoringRound, to_status: str, user) -> ScoringRound:
    """Move a round to its next (or previous) stage; decided rounds are locked for good."""
    require_coordinator(user=user, scoring_round=scoring_round)
    if to_status not in STAGE_FLOW.get(scoring_round.status, set()):
        raise ValidationError(
            _("A round cannot go from %(current)s to %(target)s."),
            params={
                "current": scoring_round.get_status_display(),
                "target": ScoringRound.Status(to_status).label
                if to_status in ScoringRound.Status.values
                else to_status,
            },
            code="bad_transition",
        )
    if to_status == ScoringRound.Status.SCORING and not scoring_round.factors.exists():
        raise ValidationError(_("Agree the factors before scoring starts."), code="no_factors")
    if to_status == ScoringRound.Status.SCORING:
        round_check_axes(scoring_round=scoring_round)
    from_status = scoring_round.status
    scoring_round.status = to_status
    scoring_round.save(update_fields=["status"])
    transaction.on_commit(
        lambda: round_stage_changed.send(
            sender=ScoringRound,
            scoring_round=scoring_round,
            from_status=from_status,
            to_status=to_status,
        )
    )
    return scoring_round


def round_member_set(
    *, scoring_round: ScoringRound, member, team_role: str, user
) -> RoundMember | None:
    """Add, change or (with an empty role) remove a member of the round's team."""
    if not user_leads_team(user=user, scoring_round=scoring_round):
        raise PermissionDenied(_("Only the round's coordinator can change its team."))
    round_check_open(scoring_round=scoring_round)
    if not team_role:
        RoundMember.objects.filter(round=scoring_round, user=member).delete()
        return None
    membership, _created = RoundMember.objects.update_or_create(
        round=scoring_round, user=member, defaults={"team_role": team_role}
    )
    membership.full_clean()
    return membership
