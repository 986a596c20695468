"""Reads for the meeting: every rating of a round, where raters differ, who rates high, an
account's ratings and decision form, and the round's decisions (the subsets the team steps
through are in `agenda.py`)."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model

from accounts.models import Competitor, Customer

from .. import engine
from ..models import Axis, Consensus, Decision, Factor, Rating, ScoringRound
from ..permissions import user_is_coordinator
from .cells import cell_rows
from .matrix import box_labels


def rating_frame(*, scoring_round: ScoringRound, customer_ids: list[int] | None = None):
    """Every rating of the round as a DataFrame (no competitor: NaN), through the cached
    cell rows; only those accounts' with `customer_ids`."""
    rows = cell_rows(
        Rating.objects.all(),
        scoring_round=scoring_round,
        customers=customer_ids,
        with_rater=True,
    )
    frame = pd.DataFrame(rows, columns=["customer", "factor", "competitor", "value", "rater"])
    frame = frame.astype({"customer": int, "factor": int, "rater": int})
    return frame[["customer", "factor", "competitor", "rater", "value"]]


@dataclass
class DisagreementCell:
    customer: Customer
    factor: Factor
    competitor: Competitor | None
    count: int
    low: float
    high: float
    std: float
    median: float
    consensus: float | None
    ratings: list[tuple[str, float]]

    @property
    def spread(self) -> float:
        return self.high - self.low

    @property
    def agreed(self) -> bool:
        return self.consensus is not None

    @property
    def suggestion(self) -> float:
        """The consensus where recorded, else the median as the default suggestion."""
        return self.median if self.consensus is None else self.consensus


CELL_KEYS = ["customer", "factor", "competitor"]


def _with_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The ratings with an integer id per account x factor x competitor cell (as they are,
    if they have them already)."""
    if "cell" in frame.columns:
        return frame
    frame = frame.assign(competitor=frame["competitor"].fillna(0).astype(int))
    frame["cell"] = frame.groupby(CELL_KEYS, sort=False).ngroup()
    return frame


def round_disagreement_page(*, scoring_round: ScoringRound, limit: int) -> dict:
    """The disagreement page's cells (the `limit` where raters differ most, and how many
    cells two or more people rated) and calibration, from one read of the ratings."""
    frame = rating_frame(scoring_round=scoring_round)
    shared = 0
    if not frame.empty:
        frame = _with_cells(frame)  # once, for the cells and the calibration
        shared = int(np.count_nonzero(np.bincount(frame["cell"].to_numpy()) >= 2))
    return {
        "cells": round_disagreement(scoring_round=scoring_round, limit=limit, frame=frame),
        "cells_total": shared,
        "calibration": round_calibration(scoring_round=scoring_round, frame=frame),
    }


def round_disagreement(
    *,
    scoring_round: ScoringRound,
    customer_ids: list[int] | None = None,
    limit: int | None = None,
    frame: pd.DataFrame | None = None,
) -> list[DisagreementCell]:
    """Account x factor cells rated by two or more people, where they differ most first."""
    if frame is None:
        frame = rating_frame(scoring_round=scoring_round, customer_ids=customer_ids)
    if frame.empty:
        return []
    frame = _with_cells(frame)
    spread = engine.rating_spread(frame["cell"].to_numpy(), frame["value"].to_numpy())
    order = [
        index
        for index in np.lexsort((-(spread["max"] - spread["min"]), -spread["std"]))
        if spread["count"][index] >= 2
    ]
    if limit is not None:
        order = order[:limit]
    wanted = spread["cell"][order]
    shown = frame[frame["cell"].isin(wanted)]
    # One pass over the shown ratings (a few per cell), not a frame per cell.
    keys: dict[int, tuple[int, int, int]] = {}
    ratings: dict[int, list[tuple[int, float]]] = {}
    for cell, customer, factor, competitor, rater, value in zip(
        *(shown[column].tolist() for column in ["cell", *CELL_KEYS, "rater", "value"]),
        strict=True,
    ):
        keys.setdefault(cell, (customer, factor, competitor))
        ratings.setdefault(cell, []).append((rater, value))
    names = dict(
        get_user_model()
        .objects.filter(pk__in=shown["rater"].unique().tolist())
        .values_list("pk", "username")
    )
    customers = Customer.objects.in_bulk(shown["customer"].unique().tolist())
    factors = Factor.objects.in_bulk(shown["factor"].unique().tolist())
    competitors = Competitor.objects.in_bulk(
        [c for c in shown["competitor"].unique().tolist() if c]
    )
    agreed = {
        (c, f, comp or 0): float(v)
        for c, f, comp, v in Consensus.objects.filter(round=scoring_round).values_list(
            "customer_id", "factor_id", "competitor_id", "value"
        )
    }
    cells = []
    for index, cell in zip(order, wanted.tolist(), strict=True):
        customer_id, factor_id, competitor_id = keys[cell]
        cells.append(
            DisagreementCell(
                customer=customers[customer_id],
                factor=factors[factor_id],
                competitor=competitors.get(competitor_id),
                count=int(spread["count"][index]),
                low=float(spread["min"][index]),
                high=float(spread["max"][index]),
                std=float(spread["std"][index]),
                median=float(spread["median"][index]),
                consensus=agreed.get((customer_id, factor_id, competitor_id)),
                ratings=sorted((names.get(r, "?"), v) for r, v in ratings[cell]),
            )
        )
    return cells


def round_calibration(
    *, scoring_round: ScoringRound, frame: pd.DataFrame | None = None
) -> list[dict]:
    """Who rates systematically higher or lower than the team, on shared cells."""
    if frame is None:
        frame = rating_frame(scoring_round=scoring_round)
    if frame.empty:
        return []
    frame = _with_cells(frame)
    calibration = engine.rater_calibration(
        frame["cell"].to_numpy(), frame["rater"].to_numpy(), frame["value"].to_numpy()
    )
    users = get_user_model().objects.in_bulk(calibration["rater"].tolist())
    rows = [
        {"rater": users[int(rater)], "bias": float(bias), "cells": int(cells)}
        for rater, bias, cells in zip(
            calibration["rater"], calibration["bias"], calibration["cells"], strict=True
        )
    ]
    return sorted(rows, key=lambda row: -abs(row["bias"]))


def meeting_order(matrix) -> list[int]:
    """Rows to step through: placed accounts box by box, most attractive first, then the
    incomplete ones that have ratings."""
    order = {box: index for index, box in enumerate(engine.BOXES)}
    placed = sorted(
        np.flatnonzero(matrix.result.complete),
        key=lambda row: (order[matrix.result.box[row]], -matrix.result.attractiveness[row]),
    )
    incomplete = np.flatnonzero(~matrix.result.complete & ~matrix.rated_nothing).tolist()
    return [int(row) for row in placed] + incomplete


def account_rating_rows(*, scoring_round: ScoringRound, matrix, position) -> dict:
    """Each factor's ratings by rater, their spread and the consensus, for one account; a
    competitor's row only where someone rated it on that factor (our own and attractiveness
    rows always: an empty one is a rating missing)."""
    customer_id = position.customer.pk
    frame = rating_frame(scoring_round=scoring_round, customer_ids=[customer_id])
    raters = {
        user.pk: user.username
        for user in get_user_model().objects.filter(pk__in=frame["rater"].unique().tolist())
    }
    cells = {
        (cell.factor.pk, cell.competitor.pk if cell.competitor else None): cell
        for cell in round_disagreement(scoring_round=scoring_round, frame=frame)
    }
    # One pass over the account's ratings (a few hundred), not a mask per factor and subject.
    given: dict[tuple[int, int | None], dict[str, float]] = {}
    for factor_id, competitor_id, rater_id, value in zip(
        *(frame[column].tolist() for column in ("factor", "competitor", "rater", "value")),
        strict=True,
    ):
        competitor_id = None if pd.isna(competitor_id) else int(competitor_id)
        given.setdefault((factor_id, competitor_id), {})[raters[rater_id]] = value
    subjects = [None, *matrix.competitors]
    names = sorted(raters.values())
    rows = []
    for factor in matrix.attractiveness_factors + matrix.strength_factors:
        for competitor in subjects if factor.axis == Axis.STRENGTH else [None]:
            competitor_id = competitor.pk if competitor else None
            values = given.get((factor.pk, competitor_id), {})
            if competitor is not None and not values:
                continue  # a competitor nobody rated on this factor: nothing to discuss
            rows.append(
                {
                    "factor": factor,
                    "competitor": competitor,
                    "values": [values.get(name) for name in names],
                    "spread": cells.get((factor.pk, competitor_id)),
                }
            )
    return {"rating_rows": rows, "raters": names}


SUGGESTED_COVERAGE = {
    engine.KEY: Decision.Coverage.FARMER,
    engine.KEY_DEVELOPMENT: Decision.Coverage.FARMER,
    engine.MAINTENANCE: Decision.Coverage.MILK_ROUND,
    engine.OPPORTUNISTIC: Decision.Coverage.MILK_ROUND,
}


def decision_form_values(*, scoring_round: ScoringRound, position, user, posted=None) -> dict:
    """The decision form's values: what was just posted, else the recorded decision, else
    the box and its usual coverage as the suggestion."""
    decision = Decision.objects.filter(
        round=scoring_round, customer_id=position.customer.pk
    ).first()
    posted = posted or {}
    return {
        "decision": decision,
        "decision_choices": Decision.Choice.choices,
        "coverage_choices": Decision.Coverage.choices,
        "choice_value": posted.get("choice") or (decision.choice if decision else position.box),
        "coverage_value": posted.get("coverage")
        or (decision.coverage if decision else SUGGESTED_COVERAGE.get(position.box, "hunter")),
        "rationale_value": posted.get("rationale", decision.rationale if decision else ""),
        "is_coordinator": user_is_coordinator(user=user, scoring_round=scoring_round),
        "can_decide": scoring_round.in_meeting,
    }


# What puts an account on the meeting's agenda (see meeting_agenda).
def round_decision_list(*, scoring_round: ScoringRound) -> list[Decision]:
    """The round's decisions by account name, each with `box_label`: the box the account sat
    in when decided, named as the company names it, in the reader's language."""
    labels = box_labels()
    decisions = list(
        scoring_round.decisions.select_related("customer", "decided_by").order_by(
            "customer__name", "customer__pk"
        )
    )
    for decision in decisions:
        decision.box_label = labels.get(decision.box_at_decision, "")
    return decisions
