"""The KAISM matrix engine: plain numpy over arrays of ratings; no Django, no database.

Shapes: N accounts, Fa attractiveness factors, Fs strength factors, C competitors.
A missing rating is NaN. Weights on each axis add up to 100 and ratings run 0 to 10, so
every weighted score is on the 0-10 scale of the ratings.
"""

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

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


# --- Exact placement -----------------------------------------------------------------------
# Ratings, weights and cut-offs are stored with at most 2 decimals. A cell pooling several
# raters holds their exact mean, the sum of their ratings over their count (no rounding).
# Each account's cells are put on one denominator, the least common multiple L of its
# cells' counts, so a cell is an integer u with rating = u / (100 × L) and a weight an
# integer k = weight × weight_scale. A weighted score, sum(weight × rating) / 100, is then
# the integer Σ k × u over 100 × weight_scale × 100 × L, and every comparison with a
# cut-off is a comparison of integers: scores that are mathematically equal compare equal
# (no 4.999999999999999 for an exact 5). The float scores shown are these exact values
# converted once. Where a bound says int64 could overflow (dozens of different rater
# counts on one account, or absurd weights) the same arithmetic runs on Python integers,
# slower but still exact.
WEIGHT_TOTAL = 100  # an axis's weights add up to 100
RATING_SCALE = 100  # ratings in hundredths
WEIGHT_SCALE = 100  # weights in hundredths of a point
CUTOFF_SCALE = 100  # cut-offs in hundredths
# Weights the sensitivity moves are fractions (e.g. 80/3) that reach the engine as floats;
# each is taken as the nearest fraction with a denominator up to a million.
MOVED_WEIGHT_DENOMINATOR = 1_000_000
_INT64_SAFE = 2**62


def _integer_dtype(bound: int):
    return np.int64 if bound < _INT64_SAFE else object


def _row_denominators(rows: int, *counts: np.ndarray | None) -> np.ndarray:
    """Per account, the least common multiple of its cells' rater counts (1 if none)."""
    given = [np.asarray(c).reshape(rows, -1) for c in counts if c is not None]
    given = [c for c in given if c.shape[1] and int(c.max()) > 1]
    if not given:
        return np.ones(rows, dtype=np.int64)
    flat = np.concatenate(given, axis=1)
    flat = np.where(flat > 1, flat, 1).astype(np.int64)
    if int(flat.max()) > 40:  # lcm(1..43) no longer fits in int64
        return np.lcm.reduce(flat.astype(object), axis=1)
    return np.lcm.reduce(flat, axis=1)


def _widened(*arrays: np.ndarray, factor: int) -> tuple[np.ndarray, ...]:
    """The arrays as Python integers where multiplying them by factor could overflow int64."""
    largest = max(int(np.abs(a).max(initial=0)) for a in arrays)
    if all(a.dtype == object for a in arrays) or largest * factor < _INT64_SAFE:
        return arrays
    return tuple(a.astype(object) for a in arrays)


def _hundredths(ratings: np.ndarray, counts: np.ndarray | None):
    """Each cell's sum of hundredths (0 where unrated) and its count (None: all ones)."""
    scaled = ratings * RATING_SCALE
    if counts is not None:
        counts = np.asarray(counts)
        counts = np.where(np.isnan(ratings) | (counts < 1), 1, counts).astype(np.int64)
        # The mean times its count is the sum of the raters' hundredths, an integer to
        # within float error far below one half.
        scaled *= counts
    np.nan_to_num(scaled, copy=False)
    return np.rint(scaled, out=scaled).astype(np.int64), counts


def _cell_units(hundredths: np.ndarray, counts: np.ndarray | None, denominator, dtype):
    """Each cell as an integer over 100 × its account's denominator L."""
    multiplier = denominator.reshape((-1,) + (1,) * (hundredths.ndim - 1))
    if counts is not None:
        multiplier = multiplier // counts
    if dtype is object:
        return hundredths.astype(object) * multiplier.astype(object)
    if counts is None and int(denominator.max(initial=1)) == 1:
        return hundredths
    return hundredths * multiplier


def _weight_units(weights: np.ndarray, scale: int) -> np.ndarray:
    return np.rint(np.asarray(weights, dtype=float) * scale).astype(np.int64)


def _cutoff_units(cutoff: float) -> int:
    return int(np.rint(float(cutoff) * CUTOFF_SCALE))


def _as_float(numerator: np.ndarray, denominator) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(numerator, dtype=float) / np.asarray(denominator, dtype=float)


def _score_denominator(denominator: np.ndarray, weight_scale: int) -> np.ndarray:
    """What a weighted score's integer is over: the weights' total 100, their scale, the
    ratings' scale and the account's L."""
    return WEIGHT_TOTAL * weight_scale * RATING_SCALE * denominator


def _at_or_above(units, denominator, *, weight_scale: int, cutoff: float) -> np.ndarray:
    """score ≥ cut-off: units / (100 × scale × 100 × L) ≥ C / 100 ⇔ units ≥ C × 100 × scale × L."""
    c = _cutoff_units(cutoff)
    factor = WEIGHT_TOTAL * weight_scale * RATING_SCALE // CUTOFF_SCALE
    (denominator,) = _widened(denominator, factor=(abs(c) + 1) * factor)
    return np.asarray(units >= c * factor * denominator, dtype=bool)


def _high_strength(us, best, has_competitor, denominator, *, cutoff: float) -> np.ndarray:
    """Relative strength ≥ cut-off, in integers.

    With a competitor: 10 × us / (us + best) ≥ C / 100 ⇔ (1000 − C) × us ≥ C × best (us and
    best share a denominator); both zero is parity, 5 ≥ C / 100. Without one, our own score.
    """
    c = _cutoff_units(cutoff)
    us, best = _widened(us, best, factor=abs(c) + 10 * CUTOFF_SCALE)
    parity = (us == 0) & (best == 0)
    against = np.where(
        parity, c <= int(PARITY * CUTOFF_SCALE), (10 * CUTOFF_SCALE - c) * us >= c * best
    ).astype(bool)
    alone = _at_or_above(us, denominator, weight_scale=WEIGHT_SCALE, cutoff=cutoff)
    return np.where(has_competitor, against, alone)


def _box_of(high_attractiveness: np.ndarray, high_strength: np.ndarray) -> np.ndarray:
    return np.where(
        high_attractiveness,
        np.where(high_strength, KEY, KEY_DEVELOPMENT),
        np.where(high_strength, MAINTENANCE, OPPORTUNISTIC),
    ).astype(object)


def _sum_bound(units_max: int, weight_units: np.ndarray) -> int:
    """The largest weighted sum of cells up to units_max could reach (Python integers)."""
    return (units_max + 1) * (sum(abs(int(k)) for k in weight_units) + 1)


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
    # The exact values the boxes come from (see "Exact placement"): per account the
    # denominator L, the attractiveness cells over 100 × L, and our and the best
    # competitor's weighted strength over _score_denominator(L, WEIGHT_SCALE), 0 where
    # there is none.
    cell_denominator: np.ndarray  # (N,)
    attractiveness_cells: np.ndarray  # (N, Fa)
    our_strength_exact: np.ndarray  # (N,)
    best_competitor_exact: np.ndarray  # (N,)

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
    attractiveness_counts: np.ndarray | None = None,
    our_strength_counts: np.ndarray | None = None,
    competitor_strength_counts: np.ndarray | None = None,
) -> MatrixResult:
    """Place every account on the matrix.

    A cell that pools several raters holds their mean; its count (the *_counts arrays, same
    shapes as the ratings, default 1) makes that mean exact. A competitor with no rating at
    all on an account is simply absent from its view; one rated on some strength factors but
    not all leaves the account incomplete, because its weighted score would be understated.
    An axis without factors places nothing.
    """
    a_ratings = np.asarray(attractiveness_ratings, dtype=float)
    us_ratings = np.asarray(our_strength_ratings, dtype=float)
    c_ratings = np.asarray(competitor_strength_ratings, dtype=float)
    no_attractiveness_factors = a_ratings.shape[1] == 0
    no_strength_factors = us_ratings.shape[1] == 0

    denominator = _row_denominators(
        len(a_ratings),
        attractiveness_counts,
        our_strength_counts,
        competitor_strength_counts,
    )
    a_hundredths = _hundredths(a_ratings, attractiveness_counts)
    us_hundredths = _hundredths(us_ratings, our_strength_counts)
    c_hundredths = _hundredths(c_ratings, competitor_strength_counts)
    largest = max(
        int(np.abs(h).max(initial=0)) for h, _n in (a_hundredths, us_hundredths, c_hundredths)
    )
    units_max = (largest + 1) * int(denominator.max(initial=1))
    a_weights = _weight_units(attractiveness_weights, WEIGHT_SCALE)
    s_weights = _weight_units(strength_weights, WEIGHT_SCALE)
    dtype = _integer_dtype(max(_sum_bound(units_max, a_weights), _sum_bound(units_max, s_weights)))
    if dtype is object:
        denominator = denominator.astype(object)
        a_weights, s_weights = a_weights.astype(object), s_weights.astype(object)

    a_cells = _cell_units(*a_hundredths, denominator, dtype)
    attractiveness_exact = (a_cells * a_weights).sum(axis=1)
    our_exact = (_cell_units(*us_hundredths, denominator, dtype) * s_weights).sum(axis=1)
    competitor_exact = (_cell_units(*c_hundredths, denominator, dtype) * s_weights).sum(axis=2)

    competitor_missing = np.isnan(c_ratings)
    partly_rated = competitor_missing.any(axis=2) & ~competitor_missing.all(axis=2)
    missing_competitor_strength = competitor_missing & partly_rated[:, :, np.newaxis]
    fully_rated = ~competitor_missing.any(axis=2) & (not no_strength_factors)
    has_competitor = fully_rated.any(axis=1)
    if c_ratings.shape[1]:
        floor = -_INT64_SAFE if dtype is np.int64 else -(units_max * 10**40)
        filled = np.where(fully_rated, competitor_exact, floor)
        best_index = np.where(has_competitor, filled.argmax(axis=1), -1)
        best_exact = np.where(has_competitor, filled.max(axis=1), 0)
    else:
        best_index = np.full(len(a_ratings), -1)
        best_exact = np.zeros(len(a_ratings), dtype=dtype)

    score_denominator = _score_denominator(denominator, WEIGHT_SCALE)
    attractiveness = np.where(
        np.isnan(a_ratings).any(axis=1) | no_attractiveness_factors,
        np.nan,
        _as_float(attractiveness_exact, score_denominator),
    )
    us_unrated = np.isnan(us_ratings).any(axis=1) | no_strength_factors
    our_strength = np.where(us_unrated, np.nan, _as_float(our_exact, score_denominator))
    competitor_strength = np.where(
        competitor_missing.any(axis=2) | no_strength_factors,
        np.nan,
        _as_float(competitor_exact, score_denominator[:, np.newaxis]),
    )
    best = np.where(has_competitor, _as_float(best_exact, score_denominator), np.nan)
    total = our_exact + best_exact
    safe_total = _as_float(np.where(total == 0, 1, total), 1)
    ratio = np.where(total == 0, PARITY, 10 * _as_float(our_exact, 1) / safe_total)
    relative = np.where(has_competitor, ratio, our_strength)
    relative = np.where(us_unrated | partly_rated.any(axis=1), np.nan, relative)

    placed_box = _box_of(
        _at_or_above(
            attractiveness_exact,
            denominator,
            weight_scale=WEIGHT_SCALE,
            cutoff=attractiveness_cutoff,
        ),
        _high_strength(our_exact, best_exact, has_competitor, denominator, cutoff=strength_cutoff),
    )
    placed_box[np.isnan(attractiveness) | np.isnan(relative)] = NOT_PLACED
    return MatrixResult(
        attractiveness=attractiveness,
        our_strength=our_strength,
        competitor_strength=competitor_strength,
        best_competitor_strength=best,
        best_competitor_index=best_index,
        relative_strength=relative,
        no_competitor_view=~has_competitor & ~us_unrated,
        box=placed_box,
        attractiveness_contributions=contributions(a_ratings, attractiveness_weights),
        strength_contributions=contributions(us_ratings, strength_weights),
        missing_attractiveness=np.isnan(a_ratings),
        missing_our_strength=np.isnan(us_ratings),
        missing_competitor_strength=missing_competitor_strength,
        cell_denominator=denominator,
        attractiveness_cells=a_cells,
        our_strength_exact=our_exact,
        best_competitor_exact=best_exact,
    )


def matrix_rescore(
    result: MatrixResult,
    *,
    attractiveness_weights: np.ndarray,
    attractiveness_cutoff: float,
    strength_cutoff: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The attractiveness under other weights and the boxes under other cut-offs, placed
    exactly as matrix_compute places them (weights as fractions, see MOVED_WEIGHT_DENOMINATOR).
    """
    cells, denominator = result.attractiveness_cells, result.cell_denominator
    fractions = [
        Fraction(float(w)).limit_denominator(MOVED_WEIGHT_DENOMINATOR)
        for w in np.asarray(attractiveness_weights, dtype=float)
    ]
    weight_scale = lcm(1, *(f.denominator for f in fractions))
    weights = np.array([int(f * weight_scale) for f in fractions], dtype=object)
    if all(abs(int(w)) < _INT64_SAFE for w in weights):
        weights = weights.astype(np.int64)
    units_max = int(np.abs(cells).max(initial=0))
    if _integer_dtype(_sum_bound(units_max, weights)) is object:
        cells, denominator = cells.astype(object), denominator.astype(object)
        weights = weights.astype(object)
    exact = (cells * weights).sum(axis=1)
    unrated = result.missing_attractiveness.any(axis=1) | (cells.shape[1] == 0)
    score_denominator = _score_denominator(denominator, weight_scale)
    attractiveness = np.where(unrated, np.nan, _as_float(exact, score_denominator))
    placed_box = _box_of(
        _at_or_above(
            exact,
            denominator,
            weight_scale=weight_scale,
            cutoff=attractiveness_cutoff,
        ),
        _high_strength(
            result.our_strength_exact,
            result.best_competitor_exact,
            result.best_competitor_index >= 0,
            denominator,
            cutoff=strength_cutoff,
        ),
    )
    placed_box[np.isnan(attractiveness) | np.isnan(result.relative_strength)] = NOT_PLACED
    return attractiveness, placed_box


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
