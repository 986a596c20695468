"""The engine's placement against exact arithmetic with fractions.Fraction (hypothesis).

Ratings and weights are generated as the database holds them (hundredths), handed to the
engine as the floats the selectors read, and pooled cells as the float mean of their
raters' floats; the expected box is computed with Fractions, independently of the engine.
"""

from fractions import Fraction
from itertools import pairwise
from math import gcd

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import engine

HUNDREDTH = Fraction(1, 100)


# --- Strategies ------------------------------------------------------------------------
@st.composite
def weight_sets(draw, *, factors: int | None = None) -> list[int]:
    """Weights in hundredths adding up to 100.00, in steps of 0.01, 0.05, 0.25 or 1 point."""
    count = factors or draw(st.integers(1, 6))
    step = draw(st.sampled_from([1, 5, 25, 100]))
    total = 10_000 // step
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, total]
    return [(high - low) * step for low, high in pairwise(bounds)]


@st.composite
def balanced_deviations(draw, weights: list[int], *, base: int, step: int) -> list[int]:
    """Rating deviations d (hundredths, multiples of step) with Σ weight × d = 0, keeping
    every rating base + d within 0-10: pairs of factors trade points in proportion."""
    deviations = [0] * len(weights)
    if len(weights) < 2:
        return deviations
    for _ in range(draw(st.integers(0, 4))):
        i, j = draw(st.permutations(range(len(weights))))[:2]
        if not weights[i] or not weights[j]:
            continue
        common = gcd(weights[i], weights[j])
        t = draw(st.integers(-3, 3))
        move_i, move_j = step * t * weights[j] // common, -step * t * weights[i] // common
        if (
            0 <= base + deviations[i] + move_i <= 1000
            and 0 <= base + deviations[j] + move_j <= 1000
        ):
            deviations[i] += move_i
            deviations[j] += move_j
    return deviations


@st.composite
def ratings_scoring_exactly(draw, weights: list[int], *, score: int, step: int) -> list[int]:
    """Ratings (hundredths, multiples of step) whose weighted score is exactly score/100."""
    deviations = draw(balanced_deviations(weights, base=score, step=step))
    return [score + d for d in deviations]


def as_floats(hundredths) -> np.ndarray:
    """Ratings as the selectors read them: float(Decimal) of the stored value."""
    return np.array([float(Fraction(h, 100)) for h in hundredths], dtype=float)


def exact_score(ratings: list[int], weights: list[int]) -> Fraction:
    return (
        sum(Fraction(w, 100) * Fraction(r, 100) for w, r in zip(weights, ratings, strict=True))
        / 100
    )


def _place(attractiveness, a_weights, us, competitors, s_weights, a_cut, s_cut, **counts):
    result = engine.matrix_compute(
        attractiveness_ratings=np.atleast_2d(attractiveness),
        attractiveness_weights=np.array(a_weights, dtype=float) / 100,
        our_strength_ratings=np.atleast_2d(us),
        competitor_strength_ratings=np.asarray(competitors, dtype=float).reshape(
            1, -1, len(s_weights)
        ),
        strength_weights=np.array(s_weights, dtype=float) / 100,
        attractiveness_cutoff=a_cut,
        strength_cutoff=s_cut,
        **counts,
    )
    return result


STEPS = st.sampled_from([1, 50])  # ratings in steps of 0.01 or of 0.5


# --- A score exactly at a cut-off counts as high, every time ---------------------------
@settings(max_examples=400, deadline=None)
@given(data=st.data(), step=STEPS)
def test_attractiveness_exactly_at_the_cutoff_is_high(data, step):
    weights = data.draw(weight_sets())
    cutoff = data.draw(st.integers(0, 1000 // step)) * step
    ratings = data.draw(ratings_scoring_exactly(weights, score=cutoff, step=step))
    assert exact_score(ratings, weights) == Fraction(cutoff, 100)
    # Strength well above its cut-off: only the attractiveness decides the box.
    result = _place(as_floats(ratings), weights, [8.0], [[2.0]], [10_000], cutoff / 100, 5.0)
    assert result.box[0] == engine.KEY


@settings(max_examples=400, deadline=None)
@given(data=st.data(), step=STEPS)
def test_our_strength_exactly_at_the_cutoff_without_competitors_is_high(data, step):
    weights = data.draw(weight_sets())
    cutoff = data.draw(st.integers(0, 1000 // step)) * step
    ours = data.draw(ratings_scoring_exactly(weights, score=cutoff, step=step))
    no_view = np.full((0, len(weights)), np.nan)
    result = _place([9.0], [10_000], as_floats(ours), no_view, weights, 5.0, cutoff / 100)
    assert result.no_competitor_view[0]
    assert result.box[0] == engine.KEY


@settings(max_examples=400, deadline=None)
@given(data=st.data(), step=STEPS)
def test_exact_parity_with_the_best_competitor_is_high_at_cutoff_5(data, step):
    weights = data.draw(weight_sets())
    level = data.draw(st.integers(0, 1000 // step)) * step
    ours = data.draw(ratings_scoring_exactly(weights, score=level, step=step))
    theirs = data.draw(ratings_scoring_exactly(weights, score=level, step=step))
    weaker = [max(r - step, 0) for r in theirs]
    assert exact_score(ours, weights) == exact_score(theirs, weights)  # us == best
    competitors = [as_floats(weaker), as_floats(theirs)]
    result = _place([9.0], [10_000], as_floats(ours), competitors, weights, 5.0, 5.0)
    assert result.relative_strength[0] == 5.0
    assert result.box[0] == engine.KEY


# 10 × us / (us + best) has two decimals when us : best = p : q with p + q dividing 1000.
DIVISORS_OF_1000 = [1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100, 125, 200, 250, 500, 1000]


@settings(max_examples=400, deadline=None)
@given(data=st.data(), step=STEPS)
def test_relative_strength_exactly_at_the_cutoff_is_high(data, step):
    weights = data.draw(weight_sets())
    total = data.draw(st.sampled_from(DIVISORS_OF_1000))
    p = data.draw(st.integers(0, total))
    q = total - p
    largest = max(p, q)
    multiple = data.draw(st.integers(1, max(1, 1000 // (largest * step)))) * step
    if largest * multiple > 1000:
        multiple = 0  # only all-zero fits: parity
    cutoff = 1000 * p // total if multiple else 500
    ours = data.draw(ratings_scoring_exactly(weights, score=p * multiple, step=step))
    theirs = data.draw(ratings_scoring_exactly(weights, score=q * multiple, step=step))
    us, best = exact_score(ours, weights), exact_score(theirs, weights)
    relative = Fraction(5) if us + best == 0 else 10 * us / (us + best)
    assert relative == Fraction(cutoff, 100)
    result = _place(
        [9.0], [10_000], as_floats(ours), [as_floats(theirs)], weights, 5.0, cutoff / 100
    )
    assert result.box[0] == engine.KEY


# --- The box equals the box computed with Fractions, for any input -------------------------
@st.composite
def cells(draw, step: int) -> list[int] | None:
    """One cell: None (unrated) or the ratings (hundredths) of one to four raters."""
    if draw(st.integers(0, 9)) == 0:
        return None
    rating = st.integers(0, 1000 // step).map(lambda r: r * step)
    return draw(st.lists(rating, min_size=1, max_size=4))


def cell_float(cell: list[int] | None) -> float:
    """The mean as the selectors compute it: a float sum of the floats over the count."""
    return np.nan if cell is None else float(np.sum(as_floats(cell))) / len(cell)


def cell_exact(cell: list[int]) -> Fraction:
    return Fraction(sum(cell), 100 * len(cell))


def weighted(row: list, weights: list[int]) -> Fraction:
    return sum(Fraction(w, 100) * cell_exact(c) for w, c in zip(weights, row, strict=True)) / 100


def expected_box(a_row, us_row, competitor_rows, a_weights, s_weights, a_cut, s_cut) -> str:
    """The README's rules in Fractions."""
    if not a_row or not us_row or None in a_row or None in us_row:
        return engine.NOT_PLACED
    rated = [row for row in competitor_rows if any(c is not None for c in row)]
    if any(None in row for row in rated):
        return engine.NOT_PLACED  # a partly rated competitor leaves the account incomplete
    attractiveness, us = weighted(a_row, a_weights), weighted(us_row, s_weights)
    if not rated:
        relative = us
    else:
        best = max(weighted(row, s_weights) for row in rated)
        relative = Fraction(5) if us + best == 0 else 10 * us / (us + best)
    high_a, high_s = attractiveness >= a_cut, relative >= s_cut
    if high_a:
        return engine.KEY if high_s else engine.KEY_DEVELOPMENT
    return engine.MAINTENANCE if high_s else engine.OPPORTUNISTIC


def grid(nested: list, shape: tuple[int, ...]) -> np.ndarray:
    """Nested lists of cells as an object array of that shape (a cell is a list itself)."""
    cells = np.empty(shape, dtype=object)
    for index in np.ndindex(shape):
        cell = nested
        for position in index:
            cell = cell[position]
        cells[index] = cell
    return cells


to_float = np.vectorize(cell_float, otypes=[float])
to_count = np.vectorize(lambda cell: 0 if cell is None else len(cell), otypes=[int])


@settings(max_examples=300, deadline=None)
@given(data=st.data(), step=STEPS)
def test_box_equals_the_box_computed_with_fractions(data, step):
    accounts = data.draw(st.integers(1, 6))
    competitors = data.draw(st.integers(0, 3))
    a_weights = data.draw(weight_sets())
    s_weights = data.draw(weight_sets())
    # Cut-offs on the ratings' grid meet exact ties often; any two-decimal one otherwise.
    cut = st.one_of(st.integers(0, 1000 // step).map(lambda c: c * step), st.integers(0, 1000))
    a_cut, s_cut = data.draw(cut), data.draw(cut)
    a_rows = [[data.draw(cells(step)) for _w in a_weights] for _a in range(accounts)]
    us_rows = [[data.draw(cells(step)) for _w in s_weights] for _a in range(accounts)]
    competitor_rows = [
        [
            [None] * len(s_weights)
            if data.draw(st.booleans())
            else [data.draw(cells(step)) for _w in s_weights]
            for _c in range(competitors)
        ]
        for _a in range(accounts)
    ]

    a_cells = grid(a_rows, (accounts, len(a_weights)))
    us_cells = grid(us_rows, (accounts, len(s_weights)))
    competitor_cells = grid(competitor_rows, (accounts, competitors, len(s_weights)))
    result = engine.matrix_compute(
        attractiveness_ratings=to_float(a_cells),
        attractiveness_weights=np.array(a_weights) / 100,
        our_strength_ratings=to_float(us_cells),
        competitor_strength_ratings=to_float(competitor_cells),
        strength_weights=np.array(s_weights) / 100,
        attractiveness_cutoff=a_cut / 100,
        strength_cutoff=s_cut / 100,
        attractiveness_counts=to_count(a_cells),
        our_strength_counts=to_count(us_cells),
        competitor_strength_counts=to_count(competitor_cells),
    )
    expected = [
        expected_box(
            a_rows[a],
            us_rows[a],
            competitor_rows[a],
            a_weights,
            s_weights,
            Fraction(a_cut, 100),
            Fraction(s_cut, 100),
        )
        for a in range(accounts)
    ]
    assert list(result.box) == expected
    for a in range(accounts):
        if expected[a] != engine.NOT_PLACED:
            assert result.attractiveness[a] == float(weighted(a_rows[a], a_weights))
