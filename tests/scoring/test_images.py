"""The matrix image for the meeting pack: the page's one bubble scale."""

import pytest

from scoring import charts, images
from scoring.selectors import round_matrix

pytestmark = pytest.mark.django_db


def test_image_bubbles_use_the_pages_revenue_scale(two_tiers):
    matrix = round_matrix(scoring_round=two_tiers.round)
    figure = images.matrix_image_figure(matrix=matrix)
    (bubbles,) = figure.axes[0].collections
    sizes = bubbles.get_sizes().tolist()
    page = charts.matrix_figure(matrix=matrix, rows=matrix.placed_rows())
    page_sizes = [size for trace in page["data"] for size in trace["marker"]["size"]]
    # Placed rows run most attractive first; both tie, so Alpha (A, 2,000,000) then Beta.
    assert sizes[0] / sizes[1] == pytest.approx(200)
    assert sizes[0] / sizes[1] == pytest.approx(page_sizes[0] / page_sizes[1])
    assert sizes[0] == pytest.approx(charts.MAX_BUBBLE**2 / 2)
