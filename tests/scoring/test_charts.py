"""Plotly figures: one bubble scale for every account on the page."""

import pytest

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
