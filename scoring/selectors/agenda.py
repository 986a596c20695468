"""The meeting's agenda: the subsets of accounts the team can step through (needing
discussion, raters differing, near a cut-off, box differing from last round's decision), and
where the team stands in one."""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, CustomerMetrics

from .. import chart_arrows, charts, engine
from ..models import Consensus, Decision, ScoringRound
from .foresight import account_foresight, round_foresight
from .matrix import round_matrix
from .meeting import (
    CELL_KEYS,
    _with_cells,
    account_rating_rows,
    decision_form_values,
    meeting_order,
    rating_frame,
)
from .rounds import round_previous

DISAGREEMENT_SPREAD = 3  # points between a cell's lowest and highest rating, no consensus yet
CUTOFF_DISTANCE = 0.5  # points from a cut-off on either axis, inclusive
ALL = "all"
DISCUSS = "discuss"
DISAGREEMENT = "disagreement"
NEAR_CUTOFF = "cutoff"
MOVED = "moved"
MEETING_SUBSETS = {
    ALL: _("All accounts"),
    DISCUSS: _("Needing discussion (any of the below)"),
    DISAGREEMENT: _("Raters differ by 3 points or more"),
    NEAR_CUTOFF: _("Within 0.5 of a cut-off"),
    MOVED: _("Box differs from last round's decision"),
}


def customer_disagreement(*, scoring_round: ScoringRound) -> dict[int, float]:
    """Per account, the widest spread (highest minus lowest rating) over its cells rated by
    two or more people and not yet settled by a consensus; accounts without one are absent."""
    frame = rating_frame(scoring_round=scoring_round)
    if frame.empty:
        return {}
    frame = _with_cells(frame)
    spread = engine.rating_spread(frame["cell"].to_numpy(), frame["value"].to_numpy())
    keys = frame.drop_duplicates("cell").set_index("cell").loc[spread["cell"], CELL_KEYS]
    agreed = {
        (c, f, comp or 0)
        for c, f, comp in Consensus.objects.filter(round=scoring_round).values_list(
            "customer_id", "factor_id", "competitor_id"
        )
    }
    widest: dict[int, float] = {}
    for (customer, factor, competitor), count, low, high in zip(
        keys.itertuples(index=False, name=None),
        spread["count"].tolist(),
        spread["min"].tolist(),
        spread["max"].tolist(),
        strict=True,
    ):
        if count >= 2 and (customer, factor, competitor) not in agreed:
            widest[customer] = max(widest.get(customer, 0.0), high - low)
    return widest


@dataclass
class MeetingAgenda:
    """The meeting's accounts as matrix rows in meeting order (`order`), the rows of each
    subset in that order, and the rows with a decision recorded."""

    order: list[int]
    subsets: dict[str, list[int]]
    decided: set[int]


def meeting_agenda(*, scoring_round: ScoringRound, matrix) -> MeetingAgenda:
    """Which of the meeting's accounts need discussion: raters differing by
    DISAGREEMENT_SPREAD points or more on a cell without consensus; attractiveness or
    relative strength within CUTOFF_DISTANCE of its cut-off (compared exactly, as the
    placement is); a box other than the previous round's decision (accounts it decided on
    only). "Needing discussion" is any of these."""
    order = meeting_order(matrix)
    customer_ids = [customer.pk for customer in matrix.customers]
    decided_ids = set(
        Decision.objects.filter(round=scoring_round).values_list("customer_id", flat=True)
    )
    previous = round_previous(scoring_round=scoring_round)
    previous_choice = (
        dict(Decision.objects.filter(round=previous).values_list("customer_id", "choice"))
        if previous is not None
        else {}
    )
    disagreement = customer_disagreement(scoring_round=scoring_round)
    near_attractiveness, near_strength = engine.near_cutoffs(
        matrix.result,
        attractiveness_cutoff=float(scoring_round.attractiveness_cutoff),
        strength_cutoff=float(scoring_round.strength_cutoff),
        distance=CUTOFF_DISTANCE,
    )
    near = near_attractiveness | near_strength
    box = matrix.result.box

    def moved(row: int) -> bool:
        choice = previous_choice.get(customer_ids[row])
        return choice is not None and box[row] != engine.NOT_PLACED and choice != box[row]

    criteria = {
        DISAGREEMENT: lambda row: disagreement.get(customer_ids[row], 0) >= DISAGREEMENT_SPREAD,
        NEAR_CUTOFF: lambda row: bool(near[row]),
        MOVED: moved,
    }
    subsets = {name: [row for row in order if test(row)] for name, test in criteria.items()}
    listed = {row for rows in subsets.values() for row in rows}
    subsets[DISCUSS] = [row for row in order if row in listed]
    subsets[ALL] = order
    decided = {row for row in order if customer_ids[row] in decided_ids}
    return MeetingAgenda(order=order, subsets=subsets, decided=decided)


def meeting_cursor(
    *, agenda: MeetingAgenda, subset: str, undecided: bool, row: int | None, step: int | None
) -> dict:
    """Where the team stands in the chosen subset (only its undecided accounts with
    `undecided`): the account in front of it (the row asked for, else the step-th, else the
    first), its place among the accounts stepped through (None when it is not one of them,
    e.g. decided a moment ago) and the rows before and after it there, in meeting order."""
    members = agenda.subsets[subset]
    stepped = [r for r in members if not (undecided and r in agenda.decided)]
    if (row is None or row not in agenda.order) and stepped:
        row = stepped[min(max(step or 1, 1), len(stepped)) - 1]
    elif row not in agenda.order:
        row = None
    rank = {r: index for index, r in enumerate(agenda.order)}
    here = rank.get(row, -1)
    return {
        "row": row,
        "index": stepped.index(row) + 1 if row in stepped else None,
        "count": len(stepped),
        "previous_row": next((r for r in reversed(stepped) if rank[r] < here), None),
        "next_row": next((r for r in stepped if rank[r] > here), None),
        "members": len(members),
        "decided": sum(1 for r in members if r in agenda.decided),
    }


def meeting_step(
    *,
    scoring_round: ScoringRound,
    user,
    step: int | None,
    account: int | None,
    subset: str = ALL,
    undecided: bool = False,
):
    """The meeting at one account: the account in front of the team, its ratings, the
    decision at hand, and where it stands in the subset being stepped through; None when no
    account has ratings yet."""
    matrix = round_matrix(scoring_round=scoring_round)
    agenda = meeting_agenda(scoring_round=scoring_round, matrix=matrix)
    if not agenda.order:
        return None
    rows = {matrix.customers[row].pk: row for row in agenda.order}
    cursor = meeting_cursor(
        agenda=agenda,
        subset=subset,
        undecided=undecided,
        row=rows.get(account) if account is not None else None,
        step=step,
    )
    context = {
        "subset": subset,
        "undecided": undecided,
        "index": cursor["index"],
        "count": cursor["count"],
        "members": cursor["members"],
        "decided": cursor["decided"],
        "previous_account": _account_of(matrix, cursor["previous_row"]),
        "next_account": _account_of(matrix, cursor["next_row"]),
    }
    row = cursor["row"]
    if row is None:
        return context
    position = matrix.position(row)
    figure = charts.matrix_figure(matrix=matrix, rows=matrix.placed_rows(), highlight=row)
    foresight = round_foresight(matrix=matrix)
    if foresight is not None:  # the arrow of the account in front of the team
        chart_arrows.foresight_arrows_add(figure, foresight=foresight, rows=np.array([row]))
    return context | {
        "position": position,
        "customer": Customer.objects.get(pk=position.customer.pk),
        "metrics": CustomerMetrics.objects.filter(customer_id=position.customer.pk).first(),
        "figure": figure,
        **account_foresight(foresight=foresight, row=row, user=user),
        **account_rating_rows(scoring_round=scoring_round, matrix=matrix, position=position),
        **decision_form_values(scoring_round=scoring_round, position=position, user=user),
    }


def _account_of(matrix, row: int | None) -> int | None:
    return None if row is None else matrix.customers[row].pk
