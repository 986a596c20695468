"""The matrix for a whole round in one vectorised pass, and its rescoring under other
weights and cut-offs."""

from dataclasses import dataclass, replace
from fractions import Fraction
from math import lcm

import numpy as np

from .exact import (
    INT64_SAFE,
    MOVED_WEIGHT_DENOMINATOR,
    WEIGHT_SCALE,
    as_float,
    at_or_above,
    box_of,
    cell_units,
    high_strength,
    hundredths,
    integer_dtype,
    row_denominators,
    score_denominator_of,
    strength_within,
    sum_bound,
    weight_units,
    within,
)
from .scores import NOT_PLACED, PARITY, contributions


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
    # competitor's weighted strength over score_denominator_of(L, WEIGHT_SCALE), 0 where
    # there is none.
    cell_denominator: np.ndarray  # (N,)
    attractiveness_cells: np.ndarray  # (N, Fa)
    our_strength_exact: np.ndarray  # (N,)
    best_competitor_exact: np.ndarray  # (N,)
    attractiveness_exact: np.ndarray  # (N,) over score_denominator_of(L, WEIGHT_SCALE)

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

    denominator = row_denominators(
        len(a_ratings),
        attractiveness_counts,
        our_strength_counts,
        competitor_strength_counts,
    )
    a_hundredths = hundredths(a_ratings, attractiveness_counts)
    us_hundredths = hundredths(us_ratings, our_strength_counts)
    c_hundredths = hundredths(c_ratings, competitor_strength_counts)
    largest = max(
        int(np.abs(h).max(initial=0)) for h, _n in (a_hundredths, us_hundredths, c_hundredths)
    )
    units_max = (largest + 1) * int(denominator.max(initial=1))
    a_weights = weight_units(attractiveness_weights, WEIGHT_SCALE)
    s_weights = weight_units(strength_weights, WEIGHT_SCALE)
    dtype = integer_dtype(max(sum_bound(units_max, a_weights), sum_bound(units_max, s_weights)))
    if dtype is object:
        denominator = denominator.astype(object)
        a_weights, s_weights = a_weights.astype(object), s_weights.astype(object)

    a_cells = cell_units(*a_hundredths, denominator, dtype)
    attractiveness_exact = (a_cells * a_weights).sum(axis=1)
    our_exact = (cell_units(*us_hundredths, denominator, dtype) * s_weights).sum(axis=1)
    competitor_exact = (cell_units(*c_hundredths, denominator, dtype) * s_weights).sum(axis=2)

    competitor_missing = np.isnan(c_ratings)
    partly_rated = competitor_missing.any(axis=2) & ~competitor_missing.all(axis=2)
    missing_competitor_strength = competitor_missing & partly_rated[:, :, np.newaxis]
    fully_rated = ~competitor_missing.any(axis=2) & (not no_strength_factors)
    has_competitor = fully_rated.any(axis=1)
    if c_ratings.shape[1]:
        floor = -INT64_SAFE if dtype is np.int64 else -(units_max * 10**40)
        filled = np.where(fully_rated, competitor_exact, floor)
        best_index = np.where(has_competitor, filled.argmax(axis=1), -1)
        best_exact = np.where(has_competitor, filled.max(axis=1), 0)
    else:
        best_index = np.full(len(a_ratings), -1)
        best_exact = np.zeros(len(a_ratings), dtype=dtype)

    score_denominator = score_denominator_of(denominator, WEIGHT_SCALE)
    attractiveness = np.where(
        np.isnan(a_ratings).any(axis=1) | no_attractiveness_factors,
        np.nan,
        as_float(attractiveness_exact, score_denominator),
    )
    us_unrated = np.isnan(us_ratings).any(axis=1) | no_strength_factors
    our_strength = np.where(us_unrated, np.nan, as_float(our_exact, score_denominator))
    competitor_strength = np.where(
        competitor_missing.any(axis=2) | no_strength_factors,
        np.nan,
        as_float(competitor_exact, score_denominator[:, np.newaxis]),
    )
    best = np.where(has_competitor, as_float(best_exact, score_denominator), np.nan)
    total = our_exact + best_exact
    safe_total = as_float(np.where(total == 0, 1, total), 1)
    ratio = np.where(total == 0, PARITY, 10 * as_float(our_exact, 1) / safe_total)
    relative = np.where(has_competitor, ratio, our_strength)
    relative = np.where(us_unrated | partly_rated.any(axis=1), np.nan, relative)

    placed_box = box_of(
        at_or_above(
            attractiveness_exact,
            denominator,
            weight_scale=WEIGHT_SCALE,
            cutoff=attractiveness_cutoff,
        ),
        high_strength(our_exact, best_exact, has_competitor, denominator, cutoff=strength_cutoff),
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
        attractiveness_exact=attractiveness_exact,
    )


def near_cutoffs(
    result: MatrixResult, *, attractiveness_cutoff: float, strength_cutoff: float, distance: float
) -> tuple[np.ndarray, np.ndarray]:
    """For each placed account, whether its attractiveness and whether its relative strength
    lie within `distance` of their cut-off (inclusive), compared in integers as the placement
    compares: a score exactly `distance` away counts, whatever floating point would say."""
    placed = result.complete
    attractiveness = within(
        result.attractiveness_exact,
        result.cell_denominator,
        weight_scale=WEIGHT_SCALE,
        cutoff=attractiveness_cutoff,
        distance=distance,
    )
    strength = strength_within(
        result.our_strength_exact,
        result.best_competitor_exact,
        result.best_competitor_index >= 0,
        result.cell_denominator,
        cutoff=strength_cutoff,
        distance=distance,
    )
    return attractiveness & placed, strength & placed


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
    if all(abs(int(w)) < INT64_SAFE for w in weights):
        weights = weights.astype(np.int64)
    units_max = int(np.abs(cells).max(initial=0))
    if integer_dtype(sum_bound(units_max, weights)) is object:
        cells, denominator = cells.astype(object), denominator.astype(object)
        weights = weights.astype(object)
    exact = (cells * weights).sum(axis=1)
    unrated = result.missing_attractiveness.any(axis=1) | (cells.shape[1] == 0)
    score_denominator = score_denominator_of(denominator, weight_scale)
    attractiveness = np.where(unrated, np.nan, as_float(exact, score_denominator))
    placed_box = box_of(
        at_or_above(
            exact,
            denominator,
            weight_scale=weight_scale,
            cutoff=attractiveness_cutoff,
        ),
        high_strength(
            result.our_strength_exact,
            result.best_competitor_exact,
            result.best_competitor_index >= 0,
            denominator,
            cutoff=strength_cutoff,
        ),
    )
    placed_box[np.isnan(attractiveness) | np.isnan(result.relative_strength)] = NOT_PLACED
    return attractiveness, placed_box


def matrix_expected(
    result: MatrixResult,
    *,
    attractiveness_ratings: np.ndarray,
    attractiveness_weights: np.ndarray,
    attractiveness_cutoff: float,
    strength_cutoff: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Where each account would sit with other attractiveness ratings, one value per cell
    (the team's view in three years), and today's strength: the attractiveness (NaN where a
    factor has no value) and the box, placed exactly as matrix_rescore places them."""
    ratings = np.asarray(attractiveness_ratings, dtype=float)
    denominator = result.cell_denominator
    dtype = object if denominator.dtype == object else np.int64
    cells = cell_units(*hundredths(ratings, None), denominator, dtype)
    expected = replace(result, attractiveness_cells=cells, missing_attractiveness=np.isnan(ratings))
    return matrix_rescore(
        expected,
        attractiveness_weights=attractiveness_weights,
        attractiveness_cutoff=attractiveness_cutoff,
        strength_cutoff=strength_cutoff,
    )
