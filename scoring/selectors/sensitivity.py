"""Sensitivity: the matrix under other weights and cut-offs, computed without saving."""

from dataclasses import dataclass

import numpy as np

from .. import engine
from .matrix import AccountRef, RoundMatrix


@dataclass
class Sensitivity:
    share: float  # realistic factors' share of the pure+realistic pool, 0..1
    current_share: float
    weights: dict[int, float]  # attractiveness factor id -> weight under this share
    attractiveness: np.ndarray
    boxes: np.ndarray
    changes: list[tuple[AccountRef, str, str]]  # account, box before, box after
    changed_rows: np.ndarray  # the matrix rows of those accounts
    attractiveness_cutoff: float
    strength_cutoff: float
    movable: bool


def round_sensitivity(
    *,
    matrix: RoundMatrix,
    share: float | None,
    attractiveness_cutoff: float | None = None,
    strength_cutoff: float | None = None,
    share_in_percent_steps: bool = False,
) -> Sensitivity:
    """The matrix under another balance of pure and realistic factors and other cut-offs,
    computed by the engine from the ratings already loaded (nothing is saved).

    With `share_in_percent_steps` (the page's slider, which moves by whole percents), the
    step that holds the current share means the current share itself: the slider at rest
    moves no account."""
    factors = matrix.attractiveness_factors
    weights = np.array([float(f.weight) for f in factors])
    considerations = np.array([f.consideration for f in factors])
    current = engine.realistic_share(weights, considerations)
    if share_in_percent_steps and share is not None and round(share * 100) == round(current * 100):
        share = None
    share = current if share is None else min(max(share, 0.0), 1.0)
    try:
        moved = engine.sensitivity_weights(weights, considerations, share)
        movable = True
    except ValueError:
        moved, share, movable = weights, current, False
    a_cut = float(
        matrix.scoring_round.attractiveness_cutoff
        if attractiveness_cutoff is None
        else attractiveness_cutoff
    )
    s_cut = float(
        matrix.scoring_round.strength_cutoff if strength_cutoff is None else strength_cutoff
    )
    attractiveness, boxes = engine.matrix_rescore(
        matrix.result,
        attractiveness_weights=moved,
        attractiveness_cutoff=a_cut,
        strength_cutoff=s_cut,
    )
    changed = engine.box_changes(matrix.result.box, boxes)
    return Sensitivity(
        share=share,
        current_share=current,
        weights={f.pk: float(w) for f, w in zip(factors, moved, strict=True)},
        attractiveness=attractiveness,
        boxes=boxes,
        changes=[(matrix.customers[row], matrix.result.box[row], boxes[row]) for row in changed],
        changed_rows=changed,
        attractiveness_cutoff=a_cut,
        strength_cutoff=s_cut,
        movable=movable,
    )
