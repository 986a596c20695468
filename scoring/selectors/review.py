"""Review: this round against the previous one, and the accounts to reconsider."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.models import Stage

from .. import engine
from ..models import Decision, ScoringRound
from .matrix import AccountPosition, AccountRef, round_matrix
from .rounds import round_decisions

# Rows each list of the review page shows until the team asks for all: the chart shows every
# account, and rendering hundreds of rows made the page the slowest under load.
REVIEW_ROWS_SHOWN = 25
# Each list's name on the page (its anchor and `?all=`), and its key in round_review's dict.
REVIEW_LISTS = {
    "deselect": "deselection_candidates",
    "moved": "moved",
    "entered": "entered",
    "left": "left",
}

# Ledger stages that put a selected key account up for review whatever its box.
DESELECTION_STAGES = (Stage.LAPSED, Stage.DECLINING)


@dataclass
class ReviewRow:
    customer: AccountRef
    before: AccountPosition | None
    after: AccountPosition | None
    previous_decision: Decision | None
    # Why a de-selection candidate is one; empty for every other account.
    reasons: list[str] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return bool(self.before and self.after and self.before.box != self.after.box)


def deselection_reasons(*, after: AccountPosition | None, stage: str) -> list[str]:
    """Why an account selected as key last round should be reconsidered: it is outside the
    key box now (or not placed), or the ledger says it is lapsed or declining. None for an
    account in the key box and healthy."""
    reasons = []
    if after is None:
        reasons.append(_("Not placed in this round"))
    elif after.box != engine.KEY:
        reasons.append(_("Now in %(box)s") % {"box": after.box_label})
    if stage in DESELECTION_STAGES:
        reasons.append(_("Ledger stage: %(stage)s") % {"stage": Stage(stage).label})
    return reasons


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
    return {
        "now": now,
        "then": then,
        "entered": [row for row in rows if row.before is None],
        "left": [row for row in rows if row.after is None],
        "moved": [row for row in rows if row.moved],
        "deselection_candidates": _deselection_candidates(
            rows=rows, now=now, previous_decisions=previous_decisions
        ),
        "rows": rows,
    }


def _deselection_candidates(*, rows, now, previous_decisions) -> list[ReviewRow]:
    """Every account decided as key last round with a reason to reconsider it, by name;
    also those placed in neither round, which no other list shows."""
    by_pk = {row.customer.pk: row for row in rows}
    refs = {customer.pk: customer for customer in now.customers}
    candidates = []
    for pk, decision in previous_decisions.items():
        if decision.choice != Decision.Choice.KEY:
            continue
        row = by_pk.get(pk) or ReviewRow(
            customer=refs[pk], before=None, after=None, previous_decision=decision
        )
        row.reasons = deselection_reasons(after=row.after, stage=row.customer.stage)
        if row.reasons:
            candidates.append(row)
    return sorted(candidates, key=lambda row: (row.customer.name, row.customer.pk))


@dataclass
class ReviewList:
    """One list of the review page: the rows shown, out of how many."""

    name: str
    rows: list[ReviewRow]
    total: int

    @property
    def cut(self) -> bool:
        return len(self.rows) < self.total


def review_lists(*, review: dict, expanded: str = "") -> dict[str, ReviewList]:
    """The review's lists as the page shows them: the first REVIEW_ROWS_SHOWN rows of each,
    all of the one named `expanded`; de-selection candidates always in full, as the team
    decides on each."""
    lists = {}
    for name, key in REVIEW_LISTS.items():
        rows = review[key]
        whole = name in (expanded, "deselect")
        lists[name] = ReviewList(
            name=name, rows=rows if whole else rows[:REVIEW_ROWS_SHOWN], total=len(rows)
        )
    return lists
