"""Review: this round against the previous one, and the accounts to reconsider."""

from dataclasses import dataclass

from .. import engine
from ..models import Decision, ScoringRound
from .matrix import AccountPosition, AccountRef, round_matrix
from .rounds import round_decisions

# Ledger stages that put a selected key account up for review whatever its box.
DESELECTION_STAGES = ("lapsed", "declining")


@dataclass
class ReviewRow:
    customer: AccountRef
    before: AccountPosition | None
    after: AccountPosition | None
    previous_decision: Decision | None

    @property
    def moved(self) -> bool:
        return bool(self.before and self.after and self.before.box != self.after.box)


def round_review(*, scoring_round: ScoringRound, previous: ScoringRound) -> dict:
    """This round against the previous one: who entered, left or changed box, and which
    accounts selected last time may no longer deserve it."""
    now = round_matrix(scoring_round=scoring_round)
    then = round_matrix(scoring_round=previous)
    now_rows = {c.pk: row for row, c in enumerate(now.customers) if now.result.complete[row]}
    then_rows = {c.pk: row for row, c in enumerate(then.customers) if then.result.complete[row]}
    previous_decisions = round_decisions(scoring_round=previous)
    rows = []
    for pk in sorted(set(now_rows) | set(then_rows)):
        after = now.position(now_rows[pk]) if pk in now_rows else None
        before = then.position(then_rows[pk]) if pk in then_rows else None
        rows.append(
            ReviewRow(
                customer=(after or before).customer,
                before=before,
                after=after,
                previous_decision=previous_decisions.get(pk),
            )
        )
    deselection = [
        row
        for row in rows
        if row.previous_decision
        and row.previous_decision.choice == Decision.Choice.KEY
        and (
            row.after is None
            or row.after.box != engine.KEY
            or row.customer.stage in DESELECTION_STAGES
        )
    ]
    return {
        "now": now,
        "then": then,
        "entered": [row for row in rows if row.before is None],
        "left": [row for row in rows if row.after is None],
        "moved": [row for row in rows if row.moved],
        "deselection_candidates": deselection,
        "rows": rows,
    }
