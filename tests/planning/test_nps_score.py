"""The NPS arithmetic: promoters 9-10, passives 7-8, detractors 0-6, exact, whole points."""

import datetime as dt
from fractions import Fraction

import pytest

from planning.nps_score import nps_compute, quarter_of


def test_ties_at_6_7_and_9_fall_on_the_right_side():
    # 6 and 0 detract, 7 is passive, 9 and 10 promote: 3 promoters, 3 detractors of 8.
    result = nps_compute([6, 6, 7, 7, 9, 9, 10, 0], min_respondents=5)
    assert (result.promoters, result.passives, result.detractors) == (3, 2, 3)
    assert result.score == 0
    assert result.points == 0


def test_one_promoter_more_than_detractors_among_five_is_20():
    # 9, 9 promote; 6 detracts; 7, 7 pass: 100 × (2 − 1) / 5 = 20.
    assert nps_compute([9, 7, 6, 9, 7], min_respondents=5).score == Fraction(20)


def test_the_score_is_exact_and_shown_rounded_to_whole_points():
    # 2 promoters, 1 detractor of 6: 100/6 = 16.67 → 17.
    result = nps_compute([9, 9, 7, 7, 7, 6], min_respondents=5)
    assert result.score == Fraction(50, 3)
    assert result.points == 17


def test_a_half_point_rounds_away_from_zero():
    # 1 detractor of 8, no promoter: −12.5 → −13.
    result = nps_compute([6, 7, 7, 7, 7, 7, 7, 7], min_respondents=5)
    assert result.score == Fraction(-25, 2)
    assert result.points == -13


@pytest.mark.parametrize(("count", "too_few"), [(4, True), (5, False)])
def test_fewer_answers_than_the_minimum_give_no_score(count, too_few):
    result = nps_compute([10] * count, min_respondents=5)
    assert result.too_few is too_few
    assert result.respondents == count
    assert result.points == (None if too_few else 100)


def test_quarters_are_calendar_quarters():
    assert quarter_of(dt.date(2026, 3, 31)) == (2026, 1)
    assert quarter_of(dt.date(2026, 4, 1)) == (2026, 2)
    assert quarter_of(dt.date(2026, 12, 31)) == (2026, 4)
