"""Scores and boxes in plain floats: contributions, weighted scores, the best competitor,
relative strength; the reference the exact placement is tested against."""

import numpy as np

KEY = "key"
KEY_DEVELOPMENT = "key_development"
MAINTENANCE = "maintenance"
OPPORTUNISTIC = "opportunistic"
BOXES = (KEY, KEY_DEVELOPMENT, MAINTENANCE, OPPORTUNISTIC)
NOT_PLACED = ""

# Relative strength when neither we nor the best competitor score anything: parity.
PARITY = 5.0


def contributions(ratings: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each factor's share of the axis score: weight × rating / 100, shape (..., F)."""
    return np.asarray(ratings, dtype=float) * np.asarray(weights, dtype=float) / 100.0


def weighted_score(ratings: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """sum(weight × rating) / 100 over the last axis; NaN where any factor is unrated."""
    return contributions(ratings, weights).sum(axis=-1)


def best_competitor(competitor_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The strongest competitor's score per account, and its index (-1 where none rated).

    competitor_scores has shape (N, C) with NaN for a competitor not rated on that account.
    """
    scores = np.asarray(competitor_scores, dtype=float)
    if scores.shape[1] == 0:
        return np.full(scores.shape[0], np.nan), np.full(scores.shape[0], -1)
    rated = ~np.isnan(scores)
    any_rated = rated.any(axis=1)
    filled = np.where(rated, scores, -np.inf)
    index = np.where(any_rated, filled.argmax(axis=1), -1)
    best = np.where(any_rated, filled.max(axis=1), np.nan)
    return best, index


def relative_strength(us: np.ndarray, best: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """10 × us / (us + best competitor): 5 is parity, above 5 the customer prefers us.

    Where no competitor is rated, our own weighted score stands in and the account is
    flagged as lacking a competitor view (second array, True where that happened).
    """
    us = np.asarray(us, dtype=float)
    best = np.asarray(best, dtype=float)
    no_competitor_view = np.isnan(best) & ~np.isnan(us)
    total = us + best
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total > 0, 10.0 * us / total, PARITY)
    ratio = np.where(np.isnan(total), np.nan, ratio)
    return np.where(no_competitor_view, us, ratio), no_competitor_view


def boxes(
    attractiveness: np.ndarray,
    strength: np.ndarray,
    *,
    attractiveness_cutoff: float,
    strength_cutoff: float,
) -> np.ndarray:
    """The box of each account; a score exactly at a cut-off counts as high.

    Accounts missing either score are NOT_PLACED ("").
    """
    attractiveness = np.asarray(attractiveness, dtype=float)
    strength = np.asarray(strength, dtype=float)
    high_attractiveness = attractiveness >= attractiveness_cutoff
    high_strength = strength >= strength_cutoff
    result = np.where(
        high_attractiveness,
        np.where(high_strength, KEY, KEY_DEVELOPMENT),
        np.where(high_strength, MAINTENANCE, OPPORTUNISTIC),
    ).astype(object)
    result[np.isnan(attractiveness) | np.isnan(strength)] = NOT_PLACED
    return result
