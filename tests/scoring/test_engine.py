"""The matrix engine against values worked out by hand."""

import numpy as np
import pytest

from scoring import engine

NAN = np.nan


def test_weighted_score_is_sum_of_weight_times_rating_over_100():
    # 40×8 + 35×6 + 25×2 = 320 + 210 + 50 = 580 → 5.8
    ratings = np.array([[8, 6, 2], [10, 10, 10]])
    weights = np.array([40, 35, 25])
    np.testing.assert_allclose(engine.weighted_score(ratings, weights), [5.8, 10.0])


def test_weighted_score_is_nan_when_a_factor_is_unrated():
    scores = engine.weighted_score(np.array([[8, NAN, 2]]), np.array([40, 35, 25]))
    assert np.isnan(scores[0])


def test_contributions_add_up_to_the_score():
    contributions = engine.contributions(np.array([[8, 6, 2]]), np.array([40, 35, 25]))
    np.testing.assert_allclose(contributions, [[3.2, 2.1, 0.5]])
    assert contributions.sum() == pytest.approx(5.8)


def test_relative_strength_is_ten_times_us_over_us_plus_best():
    # us 6, best 4 → 10×6/10 = 6; us 3, best 9 → 10×3/12 = 2.5; parity → 5
    relative, no_view = engine.relative_strength(np.array([6, 3, 7]), np.array([4, 9, 7]))
    np.testing.assert_allclose(relative, [6.0, 2.5, 5.0])
    assert not no_view.any()


def test_relative_strength_falls_back_to_our_score_without_competitors():
    relative, no_view = engine.relative_strength(np.array([6.4]), np.array([NAN]))
    assert relative[0] == pytest.approx(6.4)
    assert no_view[0]


def test_all_zero_ratings_for_us_and_competitor_are_parity():
    relative, _ = engine.relative_strength(np.array([0.0]), np.array([0.0]))
    assert relative[0] == 5.0


def test_zero_for_us_against_any_competitor_score_is_zero():
    relative, _ = engine.relative_strength(np.array([0.0]), np.array([3.0]))
    assert relative[0] == 0.0


def test_best_competitor_ignores_unrated_competitors():
    best, index = engine.best_competitor(np.array([[4.0, NAN, 7.5], [NAN, NAN, NAN]]))
    assert best[0] == 7.5 and index[0] == 2
    assert np.isnan(best[1]) and index[1] == -1


@pytest.mark.parametrize(
    ("attractiveness", "strength", "expected"),
    [
        (8, 8, engine.KEY),
        (8, 2, engine.KEY_DEVELOPMENT),
        (2, 8, engine.MAINTENANCE),
        (2, 2, engine.OPPORTUNISTIC),
        # A score exactly at the cut-off counts as high.
        (5, 5, engine.KEY),
        (4.99, 5, engine.MAINTENANCE),
        (5, 4.99, engine.KEY_DEVELOPMENT),
    ],
)
def test_box_from_cutoffs(attractiveness, strength, expected):
    result = engine.boxes(
        np.array([attractiveness]),
        np.array([strength]),
        attractiveness_cutoff=5,
        strength_cutoff=5,
    )
    assert result[0] == expected


def test_box_uses_the_rounds_cutoffs():
    result = engine.boxes(
        np.array([6.0]), np.array([6.0]), attractiveness_cutoff=7, strength_cutoff=6
    )
    assert result[0] == engine.MAINTENANCE


def test_unscored_account_is_not_placed():
    result = engine.boxes(
        np.array([NAN, 6.0]), np.array([6.0, NAN]), attractiveness_cutoff=5, strength_cutoff=5
    )
    assert list(result) == [engine.NOT_PLACED, engine.NOT_PLACED]


def _compute(attractiveness, us, competitors, a_weights=(60, 40), s_weights=(50, 50)):
    return engine.matrix_compute(
        attractiveness_ratings=np.array(attractiveness, dtype=float),
        attractiveness_weights=np.array(a_weights, dtype=float),
        our_strength_ratings=np.array(us, dtype=float),
        competitor_strength_ratings=np.array(competitors, dtype=float),
        strength_weights=np.array(s_weights, dtype=float),
        attractiveness_cutoff=5,
        strength_cutoff=5,
    )


def test_matrix_places_a_key_account_by_hand():
    # attractiveness 0.6×9 + 0.4×5 = 7.4; us 0.5×8 + 0.5×6 = 7;
    # competitors 0.5×4 + 0.5×4 = 4 and 0.5×6 + 0.5×4 = 5 → best 5; relative 10×7/12 = 5.8333
    result = _compute([[9, 5]], [[8, 6]], [[[4, 4], [6, 4]]])
    assert result.attractiveness[0] == pytest.approx(7.4)
    assert result.our_strength[0] == pytest.approx(7.0)
    np.testing.assert_allclose(result.competitor_strength[0], [4.0, 5.0])
    assert result.best_competitor_strength[0] == pytest.approx(5.0)
    assert result.best_competitor_index[0] == 1
    assert result.relative_strength[0] == pytest.approx(70 / 12)
    assert result.box[0] == engine.KEY
    np.testing.assert_allclose(result.attractiveness_contributions[0], [5.4, 2.0])
    np.testing.assert_allclose(result.strength_contributions[0], [4.0, 3.0])
    assert result.complete[0]


def test_competitor_stronger_on_every_factor_puts_us_below_parity():
    # us 0.5×4 + 0.5×3 = 3.5; competitor 0.5×9 + 0.5×8 = 8.5 → 10×3.5/12 = 2.9167
    result = _compute([[8, 8]], [[4, 3]], [[[9, 8]]])
    assert result.relative_strength[0] == pytest.approx(35 / 12)
    assert result.box[0] == engine.KEY_DEVELOPMENT


def test_account_without_competitor_ratings_uses_our_score_and_is_flagged():
    result = _compute([[2, 2]], [[8, 6]], [[[NAN, NAN]]])
    assert result.relative_strength[0] == pytest.approx(7.0)
    assert result.no_competitor_view[0]
    assert result.box[0] == engine.MAINTENANCE


def test_missing_attractiveness_rating_leaves_account_unplaced_and_says_which():
    result = _compute([[9, NAN]], [[8, 6]], [[[4, 4]]])
    assert result.box[0] == engine.NOT_PLACED
    assert list(result.missing_attractiveness[0]) == [False, True]
    assert not result.complete[0]


def test_partly_rated_competitor_leaves_account_unplaced():
    result = _compute([[9, 5]], [[8, 6]], [[[4, NAN], [NAN, NAN]]])
    assert result.box[0] == engine.NOT_PLACED
    assert result.missing_competitor_strength[0].tolist() == [[False, True], [False, False]]


def test_accounts_are_computed_independently():
    result = _compute(
        [[9, 5], [1, 1], [NAN, 3]],
        [[8, 6], [2, 2], [5, 5]],
        [[[4, 4]], [[8, 8]], [[5, 5]]],
    )
    assert list(result.box) == [engine.KEY, engine.OPPORTUNISTIC, engine.NOT_PLACED]


def test_no_competitors_at_all_in_the_round():
    result = _compute([[9, 5]], [[8, 6]], np.empty((1, 0, 2)))
    assert result.no_competitor_view[0]
    assert result.relative_strength[0] == pytest.approx(7.0)


CONSIDERATIONS = np.array(["pure", "pure", "success", "resources", "long_term"])
WEIGHTS = np.array([30, 20, 20, 10, 20])


def test_realistic_share_of_the_pool():
    # pure 30 + 20 = 50, realistic 20 + 10 = 30 → 30 / 80
    assert engine.realistic_share(WEIGHTS, CONSIDERATIONS) == pytest.approx(0.375)


def test_sensitivity_moves_weight_and_keeps_the_sum():
    # pool 80; share 0.5 → pure 40 (30:20 → 24, 16), realistic 40 (20:10 → 26.67, 13.33)
    moved = engine.sensitivity_weights(WEIGHTS, CONSIDERATIONS, 0.5)
    np.testing.assert_allclose(moved, [24, 16, 80 / 3, 40 / 3, 20])
    assert moved.sum() == pytest.approx(100)


def test_sensitivity_at_the_current_share_changes_nothing():
    share = engine.realistic_share(WEIGHTS, CONSIDERATIONS)
    np.testing.assert_allclose(engine.sensitivity_weights(WEIGHTS, CONSIDERATIONS, share), WEIGHTS)


def test_sensitivity_extremes_put_all_pool_weight_on_one_side():
    np.testing.assert_allclose(
        engine.sensitivity_weights(WEIGHTS, CONSIDERATIONS, 1.0), [0, 0, 160 / 3, 80 / 3, 20]
    )
    np.testing.assert_allclose(
        engine.sensitivity_weights(WEIGHTS, CONSIDERATIONS, 0.0), [48, 32, 0, 0, 20]
    )


def test_sensitivity_needs_weight_on_both_sides():
    with pytest.raises(ValueError):
        engine.sensitivity_weights(np.array([50, 50]), np.array(["pure", "long_term"]), 0.5)


def test_box_changes_lists_accounts_placed_in_both_that_moved():
    before = np.array([engine.KEY, engine.KEY, engine.NOT_PLACED, engine.MAINTENANCE])
    after = np.array([engine.KEY, engine.MAINTENANCE, engine.KEY, engine.OPPORTUNISTIC])
    assert engine.box_changes(before, after).tolist() == [1, 3]


def test_rating_spread_per_cell():
    # cell 0: 2, 6, 7 → min 2, max 7, mean 5, median 6, std sqrt(((−3)² + 1² + 2²)/3) = sqrt(14/3)
    spread = engine.rating_spread(np.array([0, 0, 0, 1]), np.array([2, 6, 7, 4]))
    assert spread["cell"].tolist() == [0, 1]
    assert spread["count"].tolist() == [3, 1]
    assert spread["min"].tolist() == [2, 4]
    assert spread["max"].tolist() == [7, 4]
    assert spread["mean"].tolist() == pytest.approx([5, 4])
    assert spread["median"].tolist() == [6, 4]
    assert spread["std"].tolist() == pytest.approx([(14 / 3) ** 0.5, 0])


def test_calibration_shows_who_rates_higher_than_the_team():
    # cell 0: A 8, B 4 (mean 6): A +2, B −2; cell 1: A 6, B 6: 0, 0;
    # cell 2 is rated by A alone: ignored
    calibration = engine.rater_calibration(
        np.array([0, 0, 1, 1, 2]), np.array([1, 2, 1, 2, 1]), np.array([8, 4, 6, 6, 1])
    )
    assert calibration["rater"].tolist() == [1, 2]
    assert calibration["bias"].tolist() == pytest.approx([1.0, -1.0])
    assert calibration["cells"].tolist() == [2, 2]


def test_percentile_ratings_spread_accounts_from_0_to_10():
    # 4 accounts: ranks 1..4 → 0, 3.33, 6.67, 10; a tie shares the average rank; NaN stays NaN
    ratings = engine.percentile_ratings(np.array([50, 10, 30, 90, NAN]))
    np.testing.assert_allclose(ratings[:4], [6.67, 0, 3.33, 10])
    assert np.isnan(ratings[4])
    tied = engine.percentile_ratings(np.array([1, 5, 5]))
    np.testing.assert_allclose(tied, [0, 7.5, 7.5])  # ranks 1, 2.5, 2.5 → 10×1.5/2
    assert engine.percentile_ratings(np.array([42.0]))[0] == 10


def test_banded_ratings_take_the_highest_band_reached():
    bands = [(1_000, 5), (0, 2), (10_000, 10)]
    ratings = engine.banded_ratings(np.array([-5, 0, 999, 1_000, 50_000, NAN]), bands)
    np.testing.assert_array_equal(ratings[:5], [0, 2, 2, 5, 10])
    assert np.isnan(ratings[5])


# --- Exact placement ------------------------------------------------------------------------
def _at(attractiveness, us, competitors, a_weights, s_weights, a_cut=5, s_cut=5, **counts):
    return engine.matrix_compute(
        attractiveness_ratings=np.array(attractiveness, dtype=float),
        attractiveness_weights=np.array(a_weights, dtype=float),
        our_strength_ratings=np.array(us, dtype=float),
        competitor_strength_ratings=np.array(competitors, dtype=float),
        strength_weights=np.array(s_weights, dtype=float),
        attractiveness_cutoff=a_cut,
        strength_cutoff=s_cut,
        **counts,
    )


def test_a_weighted_score_exactly_at_the_cutoff_is_high():
    # 13.39 × 1.71 + 86.61 × 1.71 = 100 × 1.71 → exactly 1.71 (floats give 1.7099999999999997)
    result = _at([[1.71, 1.71]], [[8]], [[[2]]], [13.39, 86.61], [100], a_cut=1.71)
    assert result.attractiveness[0] == 1.71
    assert result.box[0] == engine.KEY


def test_exact_parity_is_high_at_cutoff_5():
    # us 1.71, best competitor 1.71 → 10 × 1.71 / 3.42 = 5 exactly (floats: 5.000000000000001)
    result = _at([[9]], [[1.71]], [[[1.71], [1.0]]], [100], [100])
    assert result.relative_strength[0] == 5.0
    assert result.best_competitor_index[0] == 0
    assert result.box[0] == engine.KEY


def test_all_zero_parity_is_low_when_the_cutoff_is_above_5():
    result = _at([[9]], [[0]], [[[0]]], [100], [100], s_cut=5.01)
    assert result.relative_strength[0] == 5.0
    assert result.box[0] == engine.KEY_DEVELOPMENT


def test_a_pooled_cell_is_the_exact_mean_of_its_raters():
    # Raters 4.6, 5.3 and 5.1: mean exactly 5 (their float mean is 4.999999999999999).
    pooled = np.sum([4.6, 5.3, 5.1]) / 3
    assert pooled < 5
    result = _at([[pooled]], [[8]], [[[2]]], [100], [100], attractiveness_counts=[[3]])
    assert result.attractiveness[0] == 5.0
    assert result.box[0] == engine.KEY


def test_cells_with_different_rater_counts_share_the_accounts_denominator():
    # Strength 50/50: mean of (5, 6) = 5.5 and mean of (4, 5, 4.5) = 4.5 → us exactly 5;
    # competitor 5 → parity (L = lcm(2, 3) = 6).
    us = [[np.sum([5, 6]) / 2, np.sum([4, 5, 4.5]) / 3]]
    result = _at([[6]], us, [[[5, 5]]], [100], [50, 50], our_strength_counts=[[2, 3]], s_cut=5)
    assert result.cell_denominator[0] == 6
    assert result.our_strength[0] == 5.0
    assert result.relative_strength[0] == 5.0
    assert result.box[0] == engine.KEY


def test_forty_rater_counts_on_one_account_stay_exact_on_python_integers():
    # lcm(1..40) ≈ 5.3e15 overflows int64 once multiplied: cell i pools i + 1 raters, all 5.
    counts = np.arange(1, 41).reshape(1, 40)
    result = _at(
        np.full((1, 40), 5.0), [[8]], [[[2]]], np.full(40, 2.5), [100], attractiveness_counts=counts
    )
    assert result.attractiveness_cells.dtype == object
    assert result.attractiveness[0] == 5.0
    assert result.box[0] == engine.KEY
    higher = engine.matrix_rescore(
        result,
        attractiveness_weights=np.full(40, 2.5),
        attractiveness_cutoff=5.01,
        strength_cutoff=5,
    )
    assert higher[1][0] == engine.MAINTENANCE


def test_an_axis_without_factors_places_nothing():
    no_attractiveness = _at(np.empty((2, 0)), [[8], [2]], [[[2]], [[8]]], [], [100])
    assert list(no_attractiveness.box) == [engine.NOT_PLACED, engine.NOT_PLACED]
    assert np.isnan(no_attractiveness.attractiveness).all()
    no_strength = _at([[8], [2]], np.empty((2, 0)), np.empty((2, 1, 0)), [100], [])
    assert list(no_strength.box) == [engine.NOT_PLACED, engine.NOT_PLACED]
    assert np.isnan(no_strength.relative_strength).all()


def test_rescore_places_exactly_under_moved_weights_and_cutoffs():
    # Ratings 1 and 7; weights 2/3 and 298/3 (a sensitivity's thirds) → (2/3 + 2086/3) / 100
    # = 6.96 exactly (floats: 6.959999999999999); the strength 10 × 6 / (6 + 4) = 6 against
    # cut-off 6 is high.
    weights = np.array([2 / 3, 298 / 3])
    assert engine.weighted_score(np.array([1.0, 7.0]), weights) < 6.96
    result = _at([[1, 7]], [[6]], [[[4]]], [50, 50], [100])
    attractiveness, boxes = engine.matrix_rescore(
        result, attractiveness_weights=weights, attractiveness_cutoff=6.96, strength_cutoff=6
    )
    assert attractiveness[0] == 6.96
    assert boxes[0] == engine.KEY
    _attractiveness, stricter = engine.matrix_rescore(
        result,
        attractiveness_weights=np.array([50, 50]),
        attractiveness_cutoff=4,
        strength_cutoff=6.01,
    )
    assert stricter[0] == engine.KEY_DEVELOPMENT


def test_no_account_at_all_places_nothing_with_rater_counts():
    """A filter that leaves no account: empty arrays in, empty results out."""
    result = engine.matrix_compute(
        attractiveness_ratings=np.empty((0, 2)),
        attractiveness_weights=np.array([60, 40]),
        our_strength_ratings=np.empty((0, 2)),
        competitor_strength_ratings=np.empty((0, 1, 2)),
        strength_weights=np.array([50, 50]),
        attractiveness_cutoff=5,
        strength_cutoff=5,
        attractiveness_counts=np.empty((0, 2), dtype=int),
        our_strength_counts=np.empty((0, 2), dtype=int),
        competitor_strength_counts=np.empty((0, 1, 2), dtype=int),
    )
    assert result.box.shape == (0,) and result.attractiveness.shape == (0,)
