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


def _svg(client, r, user, query=None) -> str:
    from django.urls import reverse

    client.force_login(user)
    response = client.get(reverse("scoring:round_image", args=[r.round.pk, "svg"]), query or {})
    assert response["Content-Type"] == "image/svg+xml"
    return response.content.decode()


def _points(svg: str) -> int:
    """How many bubbles the SVG draws: the filled shapes of its one scatter collection (a
    <use> of a marker, or a path of its own; marker definitions aside)."""
    import re

    group = svg.split('<g id="PathCollection_1">', 1)[1].split('<g id="matplotlib.axis_1">')[0]
    group = re.sub(r"<defs>.*?</defs>", "", group, flags=re.S)
    return len(re.findall(r'<(?:use|path) [^>]*style="fill: #', group))


def test_svg_has_a_legend_of_the_tiers_and_says_all_accounts(client, two_tiers, team_user):
    from tests.fixtures.rounds import stage_set

    stage_set(two_tiers, "meeting")
    svg = _svg(client, two_tiers, team_user)
    # Words stay text in the SVG (not outlines), so the legend can be read back.
    assert ">Tier A<" in svg and ">Tier C<" in svg
    assert "Bubble area: revenue" in svg
    assert "All accounts · 2 accounts" in svg
    assert _points(svg) == 2


def test_svg_follows_the_pages_filters_and_names_them(client, two_tiers, team_user):
    from tests.fixtures.rounds import stage_set

    stage_set(two_tiers, "meeting")
    segment = two_tiers.mine.segment
    svg = _svg(client, two_tiers, team_user, {"tier": "C", "box": "key"})
    # Beta (tier C) is the one account left: Alpha (tier A) is filtered out.
    assert "Filtered: Box: Key · Tier C · 1 account" in svg
    assert ">Tier C<" in svg and ">Tier A<" not in svg
    assert _points(svg) == 1
    svg = _svg(client, two_tiers, team_user, {"segment": segment.pk})
    assert f"Filtered: Segment: {segment.name} · 1 account" in svg
    assert _points(svg) == 1


def test_png_follows_the_filters_too(client, two_tiers, team_user):
    from django.urls import reverse

    client.force_login(team_user)
    url = reverse("scoring:round_image", args=[two_tiers.round.pk, "png"])
    all_accounts = client.get(url).content
    filtered = client.get(url, {"tier": "C"}).content
    assert all_accounts[:8] == b"\x89PNG\r\n\x1a\n" == filtered[:8]
    assert all_accounts != filtered
