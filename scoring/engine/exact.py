"""Exact placement: ratings, weights and cut-offs as integers, so that equal scores compare
equal at a cut-off."""

import numpy as np

from .scores import KEY, KEY_DEVELOPMENT, MAINTENANCE, OPPORTUNISTIC, PARITY

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
INT64_SAFE = 2**62


def integer_dtype(bound: int):
    return np.int64 if bound < INT64_SAFE else object


def row_denominators(rows: int, *counts: np.ndarray | None) -> np.ndarray:
    """Per account, the least common multiple of its cells' rater counts (1 if none)."""
    if rows == 0:  # a filter that leaves no account (reshape cannot infer a width from 0)
        return np.ones(0, dtype=np.int64)
    given = [np.asarray(c).reshape(rows, -1) for c in counts if c is not None]
    given = [c for c in given if c.shape[1] and int(c.max()) > 1]
    if not given:
        return np.ones(rows, dtype=np.int64)
    flat = np.concatenate(given, axis=1)
    flat = np.where(flat > 1, flat, 1).astype(np.int64)
    if int(flat.max()) > 40:  # lcm(1..43) no longer fits in int64
        return np.lcm.reduce(flat.astype(object), axis=1)
    return np.lcm.reduce(flat, axis=1)


def widened(*arrays: np.ndarray, factor: int) -> tuple[np.ndarray, ...]:
    """The arrays as Python integers where multiplying them by factor could overflow int64."""
    largest = max(int(np.abs(a).max(initial=0)) for a in arrays)
    if all(a.dtype == object for a in arrays) or largest * factor < INT64_SAFE:
        return arrays
    return tuple(a.astype(object) for a in arrays)


def hundredths(ratings: np.ndarray, counts: np.ndarray | None):
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


def cell_units(hundredths: np.ndarray, counts: np.ndarray | None, denominator, dtype):
    """Each cell as an integer over 100 × its account's denominator L."""
    multiplier = denominator.reshape((-1,) + (1,) * (hundredths.ndim - 1))
    if counts is not None:
        multiplier = multiplier // counts
    if dtype is object:
        return hundredths.astype(object) * multiplier.astype(object)
    if counts is None and int(denominator.max(initial=1)) == 1:
        return hundredths
    return hundredths * multiplier


def weight_units(weights: np.ndarray, scale: int) -> np.ndarray:
    return np.rint(np.asarray(weights, dtype=float) * scale).astype(np.int64)


def cutoff_units(cutoff: float) -> int:
    return int(np.rint(float(cutoff) * CUTOFF_SCALE))


def as_float(numerator: np.ndarray, denominator) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(numerator, dtype=float) / np.asarray(denominator, dtype=float)


def score_denominator_of(denominator: np.ndarray, weight_scale: int) -> np.ndarray:
    """What a weighted score's integer is over: the weights' total 100, their scale, the
    ratings' scale and the account's L."""
    return WEIGHT_TOTAL * weight_scale * RATING_SCALE * denominator


def at_or_above(units, denominator, *, weight_scale: int, cutoff: float) -> np.ndarray:
    """score ≥ cut-off: units / (100 × scale × 100 × L) ≥ C / 100 ⇔ units ≥ C × 100 × scale × L."""
    c = cutoff_units(cutoff)
    factor = WEIGHT_TOTAL * weight_scale * RATING_SCALE // CUTOFF_SCALE
    (denominator,) = widened(denominator, factor=(abs(c) + 1) * factor)
    return np.asarray(units >= c * factor * denominator, dtype=bool)


def high_strength(us, best, has_competitor, denominator, *, cutoff: float) -> np.ndarray:
    """Relative strength ≥ cut-off, in integers.

    With a competitor: 10 × us / (us + best) ≥ C / 100 ⇔ (1000 − C) × us ≥ C × best (us and
    best share a denominator); both zero is parity, 5 ≥ C / 100. Without one, our own score.
    """
    c = cutoff_units(cutoff)
    us, best = widened(us, best, factor=abs(c) + 10 * CUTOFF_SCALE)
    parity = (us == 0) & (best == 0)
    against = np.where(
        parity, c <= int(PARITY * CUTOFF_SCALE), (10 * CUTOFF_SCALE - c) * us >= c * best
    ).astype(bool)
    alone = at_or_above(us, denominator, weight_scale=WEIGHT_SCALE, cutoff=cutoff)
    return np.where(has_competitor, against, alone)


def within(units, denominator, *, weight_scale: int, cutoff: float, distance: float) -> np.ndarray:
    """|score − cut-off| ≤ distance, in integers: with f as in at_or_above,
    |units − C × f × L| ≤ D × f × L (D the distance in hundredths)."""
    c, d = cutoff_units(cutoff), cutoff_units(distance)
    factor = WEIGHT_TOTAL * weight_scale * RATING_SCALE // CUTOFF_SCALE
    (denominator,) = widened(denominator, factor=(abs(c) + abs(d) + 1) * factor)
    scaled = factor * denominator
    return np.asarray(abs(units - c * scaled) <= d * scaled, dtype=bool)


def strength_within(
    us, best, has_competitor, denominator, *, cutoff: float, distance: float
) -> np.ndarray:
    """|relative strength − cut-off| ≤ distance, in integers.

    With a competitor: 10 × us / (us + best) is within D / 100 of C / 100 ⇔
    |1000 × us − C × (us + best)| ≤ D × (us + best); both zero is parity, |500 − C| ≤ D.
    Without one, our own score.
    """
    c, d = cutoff_units(cutoff), cutoff_units(distance)
    us, best = widened(us, best, factor=abs(c) + abs(d) + 10 * CUTOFF_SCALE)
    parity = (us == 0) & (best == 0)
    total = us + best
    against = np.where(
        parity,
        abs(int(PARITY * CUTOFF_SCALE) - c) <= d,
        abs(10 * CUTOFF_SCALE * us - c * total) <= d * total,
    ).astype(bool)
    alone = within(us, denominator, weight_scale=WEIGHT_SCALE, cutoff=cutoff, distance=distance)
    return np.where(has_competitor, against, alone)


def box_of(high_attractiveness: np.ndarray, high_strength: np.ndarray) -> np.ndarray:
    return np.where(
        high_attractiveness,
        np.where(high_strength, KEY, KEY_DEVELOPMENT),
        np.where(high_strength, MAINTENANCE, OPPORTUNISTIC),
    ).astype(object)


def sum_bound(units_max: int, weight_units: np.ndarray) -> int:
    """The largest weighted sum of cells up to units_max could reach (Python integers)."""
    return (units_max + 1) * (sum(abs(int(k)) for k in weight_units) + 1)
