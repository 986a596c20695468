"""Sensitivity: pure attractiveness against the realistic factors (KAISM step 9)."""

import numpy as np

from .scores import NOT_PLACED

PURE_CONSIDERATIONS = ("pure",)
REALISTIC_CONSIDERATIONS = ("success", "resources")


def realistic_share(weights: np.ndarray, considerations: np.ndarray) -> float:
    """The realistic factors' share of the weight held by pure and realistic factors."""
    weights = np.asarray(weights, dtype=float)
    considerations = np.asarray(considerations)
    pure = weights[np.isin(considerations, PURE_CONSIDERATIONS)].sum()
    realistic = weights[np.isin(considerations, REALISTIC_CONSIDERATIONS)].sum()
    return float(realistic / (pure + realistic)) if pure + realistic > 0 else 0.0


def sensitivity_weights(
    weights: np.ndarray, considerations: np.ndarray, share: float
) -> np.ndarray:
    """Weights with `share` of the pure+realistic pool on the realistic factors.

    Within each group the factors keep their proportions; other factors keep their weight,
    so the total stays 100. Raises ValueError when a group has no weight to move.
    """
    weights = np.asarray(weights, dtype=float)
    considerations = np.asarray(considerations)
    if not 0.0 <= share <= 1.0:
        raise ValueError("share must be between 0 and 1")
    pure = np.isin(considerations, PURE_CONSIDERATIONS)
    realistic = np.isin(considerations, REALISTIC_CONSIDERATIONS)
    pure_total, realistic_total = weights[pure].sum(), weights[realistic].sum()
    if pure_total <= 0 or realistic_total <= 0:
        raise ValueError("both pure and realistic factors need some weight")
    pool = pure_total + realistic_total
    moved = weights.copy()
    moved[pure] = weights[pure] / pure_total * pool * (1.0 - share)
    moved[realistic] = weights[realistic] / realistic_total * pool * share
    return moved


def box_changes(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Indices of the accounts placed in both that sit in a different box."""
    before, after = np.asarray(before, dtype=object), np.asarray(after, dtype=object)
    placed = (before != NOT_PLACED) & (after != NOT_PLACED)
    return np.flatnonzero(placed & (before != after))
