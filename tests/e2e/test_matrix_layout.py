"""The matrix page and the grid at laptop, wide and phone sizes: nothing off-screen."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Customer, Segment
from scoring.models import ScoringRound
from scoring.selectors import round_matrix


@pytest.fixture
def demo_round(demo_site):
    return ScoringRound.objects.get(name="Key account selection 2026")


def _document_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_matrix_table_fits_its_card_at_1440_and_sorts_by_revenue(login, demo_site, demo_round):
    page = login("team")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{demo_site.url}/rounds/{demo_round.pk}/")
    card = page.locator(".table-card")
    revenue_header = page.locator('th[data-sort="revenue"]')
    expect(revenue_header).to_be_visible()
    assert _document_width(page) == 1440
    card_box, header_box = card.bounding_box(), revenue_header.bounding_box()
    assert header_box["x"] + header_box["width"] <= card_box["x"] + card_box["width"] + 1
    # Every name on one line.
    lines = page.evaluate(
        "[...document.querySelectorAll('.matrix-accounts .account-name a')]"
        ".map(a => a.getClientRects().length)"
    )
    assert lines and set(lines) == {1}

    # The table scrolls inside its card, its header row staying at the card's top.
    assert page.evaluate(
        "(c => c.scrollHeight > c.clientHeight)(document.querySelector('.table-card'))"
    )
    card.evaluate("c => c.scrollTop = 500")
    header_top = page.locator('th[data-sort="name"]').bounding_box()["y"]
    assert abs(header_top - card.bounding_box()["y"]) <= 2

    revenue_header.get_by_role("link").click()
    expect(revenue_header).to_have_attribute("aria-sort", "descending")
    expect(page.locator('th[data-sort="attractiveness"]')).not_to_have_attribute(
        "aria-sort", "descending"
    )
    names = page.locator(".matrix-accounts .account-name a").all_inner_texts()
    # Independently: every placed account's revenue from the matrix, sorted by Python.
    matrix = round_matrix(scoring_round=demo_round)
    placed = [p for p in matrix.positions if p.complete]
    expected = [p.customer.name for p in sorted(placed, key=lambda p: -p.revenue)]
    assert names == expected[: len(names)] and len(names) == 50
    assert "sort=-revenue" in page.url
    # A second click reverses the order; a filter change keeps it.
    revenue_header.get_by_role("link").click()
    expect(revenue_header).to_have_attribute("aria-sort", "ascending")
    page.locator("select[name=box]").select_option(label="Key")
    page.wait_for_url("**box=key**")
    expect(revenue_header).to_have_attribute("aria-sort", "ascending")
    names = page.locator(".matrix-accounts .account-name a").all_inner_texts()
    key = [p for p in placed if p.box == "key"]
    assert len(key) > 10
    assert names == [p.customer.name for p in sorted(key, key=lambda p: p.revenue)][:50]


def test_grid_headers_stay_visible_while_scrolling(login, demo_site, demo_round):
    page = login("team")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{demo_site.url}/rounds/{demo_round.pk}/grid/")
    head = page.locator(".rating-grid thead th.factor-head").first
    first_row = page.locator(".rating-grid tbody tr").first
    expect(head).to_be_visible()
    row_before = first_row.bounding_box()["y"]
    # Scroll with the wheel over the grid, as a person does.
    page.locator(".rating-grid tbody tr").nth(2).hover()
    page.mouse.wheel(0, 700)
    page.wait_for_timeout(300)
    assert first_row.bounding_box()["y"] < row_before - 300  # the rows moved up
    head_box = head.bounding_box()
    assert head_box["y"] >= 0 and head_box["y"] + head_box["height"] <= 900  # the header did not
    # The names stay on the left when the grid scrolls sideways.
    name = page.locator(".rating-grid tbody th[scope=row]").nth(5)
    name_x = name.bounding_box()["x"]
    page.locator(".grid-scroll").evaluate("s => s.scrollLeft = 300")
    assert abs(name.bounding_box()["x"] - name_x) <= 1
    # The page itself stays within the window, the grid scrolling in its own box.
    assert _document_width(page) == 1440


@pytest.mark.parametrize("path", ["/", "/rounds/{pk}/", "/rounds/{pk}/grid/"])
def test_phone_pages_are_no_wider_than_the_phone(login, demo_site, demo_round, path):
    page = login("team")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_site.url + path.format(pk=demo_round.pk))
    page.wait_for_load_state("networkidle")
    assert _document_width(page) == 390
    # The header wrapped: every link of the top bar is inside the window.
    for box in [link.bounding_box() for link in page.locator(".topbar a, .topbar button").all()]:
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_image_download_follows_the_page_filters(login, demo_site, demo_round):
    segment = Segment.objects.order_by("name").first()
    page = login("team")
    page.goto(f"{demo_site.url}/rounds/{demo_round.pk}/")
    page.locator("select[name=segment]").select_option(label=segment.name)
    page.locator("select[name=box]").select_option(label="Maintenance")
    link = page.locator("[data-image-exports] a", has_text="SVG")
    expect(link).to_have_attribute(
        "href", f"/rounds/{demo_round.pk}/matrix.svg?segment={segment.pk}&box=maintenance"
    )
    svg = page.request.get(demo_site.url + link.get_attribute("href")).text()
    # Independently: the segment's accounts in Maintenance on the full matrix.
    matrix = round_matrix(scoring_round=demo_round)
    in_segment = set(Customer.objects.filter(segment=segment).values_list("pk", flat=True))
    count = sum(
        1 for p in matrix.positions if p.box == "maintenance" and p.customer.pk in in_segment
    )
    assert count > 1
    expected = f"Filtered: Segment: {segment.name} · Box: Maintenance · {count} accounts"
    assert expected in svg
    # One bubble per account in the scatter, the other accounts absent.
    bubbles = svg.split('<g id="PathCollection_1">', 1)[1].split('<g id="matplotlib.axis_1">')[0]
    bubbles = re.sub(r"<defs>.*?</defs>", "", bubbles, flags=re.S)
    assert len(re.findall(r'<(?:use|path) [^>]*style="fill: #', bubbles)) == count
