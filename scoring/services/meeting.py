"""Writes of the meeting: the team's consensus per cell and its decision per account."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Competitor, Customer

from ..models import Consensus, Decision, Factor, ScoringRound
from ..permissions import require_coordinator
from ..signals import decision_recorded
from .ratings import cell_check, rating_parse
from .rounds import round_check_open


def meeting_check_open(*, scoring_round: ScoringRound, user, message: str) -> None:
    """What the meeting records, the coordinator records while the round is in the meeting;
    `message` says what waits for it."""
    require_coordinator(user=user, scoring_round=scoring_round)
    round_check_open(scoring_round=scoring_round)
    if not scoring_round.in_meeting:
        raise ValidationError(message, code="not_meeting")


def consensus_record(
    *,
    scoring_round: ScoringRound,
    customer: Customer,
    factor: Factor,
    competitor: Competitor | None,
    raw_value: str,
    user,
) -> Consensus | None:
    """The coordinator records the agreed value of one cell (empty clears it)."""
    meeting_check_open(
        scoring_round=scoring_round,
        user=user,
        message=_("Consensus is recorded in the meeting, once all ratings are revealed."),
    )
    cell_check(scoring_round=scoring_round, factor=factor, competitor=competitor)
    value = rating_parse(raw_value)
    lookup = {
        "round": scoring_round,
        "factor": factor,
        "customer": customer,
        "competitor": competitor,
    }
    if value is None:
        Consensus.objects.filter(**lookup).delete()
        return None
    consensus, _created = Consensus.objects.update_or_create(
        **lookup, defaults={"value": value, "recorded_by": user}
    )
    return consensus


DECISION_BOX = {
    Decision.Choice.KEY: "key",
    Decision.Choice.KEY_DEVELOPMENT: "key_development",
    Decision.Choice.MAINTENANCE: "maintenance",
    Decision.Choice.OPPORTUNISTIC: "opportunistic",
}


def decision_check_allowed(*, scoring_round: ScoringRound, user) -> None:
    """Who may decide and when: the coordinator, in the meeting. Checked before the account's
    box is computed, so a refusal says nothing of the ratings behind it (blind scoring)."""
    meeting_check_open(
        scoring_round=scoring_round, user=user, message=_("Decisions are recorded in the meeting.")
    )


def decision_record(
    *,
    scoring_round: ScoringRound,
    customer: Customer,
    choice: str,
    coverage: str,
    rationale: str,
    box: str,
    user,
) -> Decision:
    """Record the team's decision for an account; a rationale is required when it differs
    from the account's box (and always for a de-selection)."""
    decision_check_allowed(scoring_round=scoring_round, user=user)
    rationale = (rationale or "").strip()
    if DECISION_BOX.get(choice) != box and not rationale:
        raise ValidationError(
            {"rationale": _("Say why: the decision differs from the account's box.")},
            code="rationale_required",
        )
    decision = Decision.objects.filter(round=scoring_round, customer=customer).first() or Decision(
        round=scoring_round, customer=customer
    )
    decision.choice = choice
    decision.coverage = coverage
    decision.rationale = rationale
    decision.box_at_decision = box
    decision.decided_by = user
    decision.full_clean()
    decision.save()
    transaction.on_commit(lambda: decision_recorded.send(sender=Decision, decision=decision))
    return decision
