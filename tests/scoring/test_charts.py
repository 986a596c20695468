"""Plotly figures: one bubble scale for every account on the page."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from scoring import charts
from scoring.selectors import round_matrix

pytestmark = pytest.mark.django_db


def test_bubble_areas_follow_revenue_on_one_scale_across_tiers(two_tiers):
    matrix = round_matrix(scoring_round=two_tiers.round)
    figure = charts.matrix_figure(matrix=matrix, rows=matrix.placed_rows())
    markers = {trace["name"]: trace["marker"] for trace in figure["data"]}
    assert set(markers) == {"Tier A", "Tier C"}
    assert {m["sizemode"] for m in markers.values()} == {"area"}
    assert {m["sizeref"] for m in markers.values()} == {charts.BUBBLE_SIZEREF}
    (a_size,), (c_size,) = markers["Tier A"]["size"], markers["Tier C"]["size"]
    # Revenues 2,000,000 : 10,000 → areas 200 : 1 (each tier scaled alone drew them alike).
    assert a_size / c_size == pytest.approx(200)
    # With sizemode area, plotly's diameter is sqrt(size / 2 / sizeref): the largest is
    # MAX_BUBBLE px wide.
    assert (a_size / 2 / charts.BUBBLE_SIZEREF) ** 0.5 == pytest.approx(charts.MAX_BUBBLE)


def test_no_revenue_still_draws_the_smallest_dot():
    areas = charts.bubble_areas([0, 0])
    assert areas.tolist() == [pytest.approx((charts.MIN_BUBBLE / charts.MAX_BUBBLE) ** 2)] * 2
    assert charts.bubble_areas([1_000, 0]).tolist() == [1.0, pytest.approx(0.0036)]


def test_bubble_sizes_have_four_decimals():
    assert charts.bubble_sizes(charts.bubble_areas([3_000, 1_000, 7])) == [1.0, 0.3333, 0.0036]


@pytest.mark.parametrize(
    ("value", "shown"),
    # 4.445 is stored as 4.44499999...: rounded as written, half up, like the tables.
    [(4.445, 4.45), (6.3636, 6.36), (0.005, 0.01), (9.994999, 9.99), (10.0, 10.0), (0.0, 0.0)],
)
def test_shown_scores_round_half_up_as_written(value, shown):
    assert charts.shown_scores([value]) == [shown]


# Scores below a millionth do not occur (ratings have two decimals); floatformat gives up
# on floats like 1e-220 and prints them as written.
@given(st.floats(min_value=0, max_value=10).filter(lambda value: value == 0 or value > 1e-6))
def test_a_bubbles_score_reads_as_the_tables_floatformat(value):
    # The hover prints %{y:.2f} of the drawn value; the table prints floatformat:2.
    (drawn,) = charts.shown_scores([value])
    with translation.override("en"):
        assert f"{drawn:.2f}" == floatformat(value, 2)
    assert Decimal(str(drawn)) == Decimal(repr(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
