"""Reads of the three-year view: each account's expected position, from the team's values."""

from dataclasses import dataclass

import numpy as np
from django.db.models import FloatField
from django.db.models.functions import Cast

from .. import engine
from ..models import ForesightRating
from ..permissions import user_is_coordinator
from .matrix import RoundMatrix, optional_float


@dataclass(frozen=True)
class ForesightPosition:
    """One account in three years: its expected attractiveness and box (None and
    NOT_PLACED while a factor has no three-year value)."""

    attractiveness: float | None
    box: str
    box_label: str
    values: list[float | None]

    @property
    def complete(self) -> bool:
        return self.attractiveness is not None


@dataclass(frozen=True)
class RoundForesight:
    """The round's three-year view; rows follow the matrix's."""

    matrix: RoundMatrix
    values: np.ndarray  # (N, Fa) the team's three-year values, NaN where none
    attractiveness: np.ndarray  # (N,) NaN where a factor has no three-year value
    box: np.ndarray  # (N,) NOT_PLACED where incomplete, or where today's strength is

    @property
    def complete(self) -> np.ndarray:
        return ~np.isnan(self.attractiveness)

    def arrow_rows(self, rows: np.ndarray) -> np.ndarray:
        """Of the drawn rows (placed today), those with a full three-year position."""
        rows = np.asarray(rows, dtype=int)
        return rows[self.complete[rows] & self.matrix.result.complete[rows]]

    def position(self, row: int) -> ForesightPosition:
        box = self.box[row]
        return ForesightPosition(
            attractiveness=optional_float(self.attractiveness[row]),
            box=box,
            box_label=self.matrix.labels.get(box, ""),
            values=[optional_float(value) for value in self.values[row]],
        )


def round_foresight(*, matrix: RoundMatrix) -> RoundForesight | None:
    """The expected position of each account of the matrix: today's strength, and the
    attractiveness of the team's three-year values under the round's weights, placed by the
    engine's exact rule at the round's cut-offs. None where the round has no three-year view
    or may not show it yet (blind scoring)."""
    scoring_round = matrix.scoring_round
    if not scoring_round.foresight_shown:
        return None
    factors = matrix.attractiveness_factors
    rows = {customer.pk: row for row, customer in enumerate(matrix.customers)}
    columns = {factor.pk: column for column, factor in enumerate(factors)}
    values = np.full((len(rows), len(columns)), np.nan)
    stored = ForesightRating.objects.filter(round=scoring_round).values_list(
        "customer_id", "factor_id", Cast("value", FloatField())
    )
    for customer_id, factor_id, value in stored:
        if customer_id in rows and factor_id in columns:
            values[rows[customer_id], columns[factor_id]] = value
    attractiveness, box = engine.matrix_expected(
        matrix.result,
        attractiveness_ratings=values,
        attractiveness_weights=np.array([float(f.weight) for f in factors]),
        attractiveness_cutoff=float(scoring_round.attractiveness_cutoff),
        strength_cutoff=float(scoring_round.strength_cutoff),
    )
    return RoundForesight(matrix=matrix, values=values, attractiveness=attractiveness, box=box)


def account_foresight(*, foresight: RoundForesight | None, row: int, user) -> dict:
    """The meeting's three-year cells for one account: each attractiveness factor with
    today's value and the team's value in three years, the expected position, and whether
    this user records them now (whoever records the consensus, in the meeting)."""
    if foresight is None:
        return {"foresight": None}
    matrix = foresight.matrix
    position = foresight.position(row)
    today = matrix.attractiveness_ratings[row]
    return {
        "foresight": position,
        "foresight_cells": [
            {"factor": factor, "today": optional_float(value_today), "value": value}
            for factor, value_today, value in zip(
                matrix.attractiveness_factors, today, position.values, strict=True
            )
        ],
        "foresight_editable": matrix.scoring_round.in_meeting
        and user_is_coordinator(user=user, scoring_round=matrix.scoring_round),
    }
