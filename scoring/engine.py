"""The KAISM matrix engine: plain numpy over arrays of ratings; no Django, no database.

Shapes: N accounts, Fa attractiveness factors, Fs strength factors, C competitors.
A missing rating is NaN. Weights on each axis add up to 100 and ratings run 0 to 10, so
every weighted score is on the 0-10 scale of the ratings.
"""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class MatrixResult:
    attractiveness: np.ndarray  # (N,) NaN where an attractiveness factor is unrated
    our_strength: np.ndarray  # (N,) our weighted strength
    competitor_strength: np.ndarray  # (N, C) each competitor's weighted strength, NaN if unrated
    best_competitor_strength: np.ndarray  # (N,)
    best_competitor_index: np.ndarray  # (N,) -1 where no competitor is rated
    relative_strength: np.ndarray  # (N,)
    no_competitor_view: np.ndarray  # (N,) bool
    box: np.ndarray  # (N,) one of BOXES, or NOT_PLACED
    attractiveness_contributions: np.ndarray  # (N, Fa)
    strength_contributions: np.ndarray  # (N, Fs) ours
    missing_attractiveness: np.ndarray  # (N, Fa) bool
    missing_our_strength: np.ndarray  # (N, Fs) bool
    missing_competitor_strength: np.ndarray  # (N, C, Fs) bool, only for partly rated competitors

    @property
    def complete(self) -> np.ndarray:
        return self.box != NOT_PLACED


def matrix_compute(
    *,
    attractiveness_ratings: np.ndarray,
    attractiveness_weights: np.ndarray,
    our_strength_ratings: np.ndarray,
    competitor_strength_ratings: np.ndarray,
    strength_weights: np.ndarray,
    attractiveness_cutoff: float,
    strength_cutoff: float,
) -> MatrixResult:
    """Place every account on the matrix.

    A competitor with no rating at all on an account is simply absent from its view; one
    rated on some strength factors but not all leaves the account incomplete, because its
    weighted score would be understated.
    """
    attractiveness_ratings = np.asarray(attractiveness_ratings, dtype=float)
    our_strength_ratings = np.asarray(our_strength_ratings, dtype=float)
    competitor_strength_ratings = np.asarray(competitor_strength_ratings, dtype=float)

    attractiveness = weighted_score(attractiveness_ratings, attractiveness_weights)
    our_strength = weighted_score(our_strength_ratings, strength_weights)
    competitor_strength = weighted_score(competitor_strength_ratings, strength_weights)

    competitor_missing = np.isnan(competitor_strength_ratings)
    partly_rated = competitor_missing.any(axis=2) & ~competitor_missing.all(axis=2)
    missing_competitor_strength = competitor_missing & partly_rated[:, :, np.newaxis]

    best, best_index = best_competitor(competitor_strength)
    relative, no_view = relative_strength(our_strength, best)
    relative = np.where(partly_rated.any(axis=1), np.nan, relative)
    placed_box = boxes(
        attractiveness,
        relative,
        attractiveness_cutoff=attractiveness_cutoff,
        strength_cutoff=strength_cutoff,
    )
    return MatrixResult(
        attractiveness=attractiveness,
        our_strength=our_strength,
        competitor_strength=competitor_strength,
        best_competitor_strength=best,
        best_competitor_index=best_index,
        relative_strength=relative,
        no_competitor_view=no_view,
        box=placed_box,
        attractiveness_contributions=contributions(attractiveness_ratings, attractiveness_weights),
        strength_contributions=contributions(our_strength_ratings, strength_weights),
        missing_attractiveness=np.isnan(attractiveness_ratings),
        missing_our_strength=np.isnan(our_strength_ratings),
        missing_competitor_strength=missing_competitor_strength,
    )


# --- Sensitivity: pure attractiveness against the realistic factors (KAISM step 9) -------
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


# --- Disagreement and calibration between raters (KAISM step 6) ---------------------------
def rating_spread(cell: np.ndarray, value: np.ndarray) -> dict[str, np.ndarray]:
    """Per cell (integer cell ids): count, min, max, mean, median, population std."""
    import pandas as pd

    frame = pd.DataFrame({"cell": np.asarray(cell), "value": np.asarray(value, dtype=float)})
    grouped = frame.groupby("cell")["value"]
    stats = grouped.agg(["count", "min", "max", "mean", "median"])
    stats["std"] = grouped.std(ddof=0)
    return {"cell": stats.index.to_numpy()} | {
        column: stats[column].to_numpy() for column in stats.columns
    }


def rater_calibration(
    cell: np.ndarray, rater: np.ndarray, value: np.ndarray
) -> dict[str, np.ndarray]:
    """How far each rater sits from the team on the cells several people rated.

    bias = mean of (own rating - the cell's mean); positive rates systematically higher.
    """
    import pandas as pd

    frame = pd.DataFrame(
        {"cell": np.asarray(cell), "rater": np.asarray(rater), "value": np.asarray(value, float)}
    )
    counts = frame.groupby("cell")["value"].transform("count")
    shared = frame[counts >= 2].copy()
    shared["deviation"] = shared["value"] - shared.groupby("cell")["value"].transform("mean")
    stats = shared.groupby("rater")["deviation"].agg(["mean", "count"])
    return {
        "rater": stats.index.to_numpy(),
        "bias": stats["mean"].to_numpy(),
        "cells": stats["count"].to_numpy(),
    }


# --- Derived factors: ratings computed from a ledger metric --------------------------------
def percentile_ratings(values: np.ndarray) -> np.ndarray:
    """0-10 by percentile among the accounts: the lowest 0, the highest 10, ties share the
    average of their ranks; NaN (no metric) stays unrated. A single account gets 10."""
    import pandas as pd

    values = np.asarray(values, dtype=float)
    known = ~np.isnan(values)
    ratings = np.full(values.shape, np.nan)
    count = int(known.sum())
    if count == 1:
        ratings[known] = 10.0
    elif count > 1:
        ranks = pd.Series(values[known]).rank(method="average").to_numpy()
        ratings[known] = 10.0 * (ranks - 1) / (count - 1)
    return np.round(ratings, 2)


def banded_ratings(values: np.ndarray, bands: list[tuple[float, float]]) -> np.ndarray:
    """The rating of the highest band whose lowest value the metric reaches; below the first
    band, 0. Bands are (lowest value, rating) pairs."""
    values = np.asarray(values, dtype=float)
    ordered = sorted((float(low), float(rating)) for low, rating in bands)
    lows = np.array([low for low, _rating in ordered])
    ratings = np.array([rating for _low, rating in ordered])
    index = np.searchsorted(lows, np.nan_to_num(values, nan=-np.inf), side="right") - 1
    result = np.where(index >= 0, ratings[np.clip(index, 0, None)], 0.0)
    return np.where(np.isnan(values), np.nan, result)
