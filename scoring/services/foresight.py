"""Writes of the three-year view: the round's option, and the team's value per cell."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Competitor, Customer

from ..models import Axis, Factor, ForesightRating, ScoringRound
from ..permissions import user_can_manage_rounds
from .meeting import meeting_check_open
from .ratings import rating_parse
from .rounds import round_check_open


def round_foresight_set(*, scoring_round: ScoringRound, foresight: bool, user) -> ScoringRound:
    """Turn the round's three-year view on or off; a decided round never changes."""
    if not user_can_manage_rounds(user=user):
        raise PermissionDenied(_("Only the selection team changes a round's options."))
    round_check_open(scoring_round=scoring_round)
    scoring_round.foresight = foresight
    scoring_round.full_clean()
    scoring_round.save(update_fields=["foresight"])
    return scoring_round


def foresight_record(
    *,
    scoring_round: ScoringRound,
    customer: Customer,
    factor: Factor,
    raw_value: str,
    user,
    competitor: Competitor | None = None,
) -> ForesightRating | None:
    """Whoever records the consensus records the team's three-year value of one
    attractiveness factor (empty clears it), in the meeting of a round with the option on.
    `competitor` is there because the posted cell may name one: refused, strength is kept."""
    meeting_check_open(
        scoring_round=scoring_round,
        user=user,
        message=_("The three-year view is agreed in the meeting."),
    )
    if not scoring_round.foresight:
        raise ValidationError(
            _("This round does not rate where accounts will be in three years."),
            code="no_foresight",
        )
    if factor.round_id != scoring_round.pk:
        raise ValidationError(_("That factor belongs to another round."), code="wrong_round")
    if factor.axis != Axis.ATTRACTIVENESS or competitor is not None:
        raise ValidationError(
            _("Only attractiveness factors are rated for three years ahead."), code="wrong_axis"
        )
    value = rating_parse(raw_value)
    lookup = {"round": scoring_round, "customer": customer, "factor": factor}
    if value is None:
        ForesightRating.objects.filter(**lookup).delete()
        return None
    with transaction.atomic():
        stored = ForesightRating.objects.select_for_update().filter(**lookup).first()
        foresight = stored or ForesightRating(**lookup)
        foresight.value = value
        foresight.recorded_by = user
        foresight.full_clean()
        foresight.save()
    return foresight
