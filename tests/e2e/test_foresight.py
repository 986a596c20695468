"""The three-year view in the browser: the coordinator turns it on, agrees an account's
three-year values in the meeting, and the matrix draws the account's arrow and columns."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from scoring.models import Axis, ForesightRating, ScoringRound


@pytest.fixture
def meeting_round(demo_site):
    """The demo's current round, in its meeting, without the three-year view yet."""
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    assert scoring_round.in_meeting and not scoring_round.foresight
    return scoring_round


def test_three_year_values_agreed_in_the_meeting_draw_an_arrow_on_the_matrix(
    login, demo_site, meeting_round
):
    page = login("team")  # the round's coordinator
    base = f"{demo_site.url}/rounds/{meeting_round.pk}"
    page.goto(f"{base}/team/")
    page.get_by_label("Rate where accounts will be in three years").check()
    page.locator("[data-foresight-form]").get_by_role("button", name="Save").click()
    expect(page.get_by_label("Rate where accounts will be in three years")).to_be_checked()

    # The meeting's first account: every attractiveness factor at 10 in three years.
    page.goto(f"{base}/meeting/")
    section = page.locator("[data-foresight]")
    cells = section.locator("input.rating-input")
    factors = meeting_round.factors.filter(axis=Axis.ATTRACTIVENESS).count()
    expect(cells).to_have_count(factors)
    expect(section.locator("[data-foresight-box]")).to_contain_text("Agree every")
    for index in range(factors):
        cell = section.locator("input.rating-input").nth(index)
        cell.fill("10")
        with page.expect_response("**/foresight/") as saved:
            cell.press("Tab")
        assert saved.value.status == 200
        # The answer replaces the section: wait for it, or the next fill lands in the old one.
        expect(section.locator(".cell").nth(index)).to_have_class(re.compile(r"\bsaved\b"))
    expect(section.locator("[data-foresight-attractiveness]")).to_have_text("10.00")
    expect(section.locator("[data-foresight-box] .box")).to_be_visible()
    stored = ForesightRating.objects.filter(round=meeting_round)
    assert stored.count() == factors
    assert set(stored.values_list("value", flat=True)) == {Decimal(10)}
    account = stored.first().customer

    # The matrix: the columns for every account, the arrow once the toggle is on.
    page.goto(f"{base}/")
    page.wait_for_selector(".matrix-chart .main-svg")
    row = page.locator(f"tr[data-customer='{account.pk}']")
    expect(page.get_by_role("columnheader", name="Box in 3 years")).to_be_visible()
    expect(page.locator("[data-foresight-count]")).to_contain_text("1 of")
    arrows = page.locator(".matrix-chart .annotation-arrow-g")
    expect(arrows).to_have_count(0)
    page.get_by_label("In three years").check()
    expect(arrows).to_have_count(1)
    assert "foresight=1" in page.url
    # The meeting's first account is the most attractive key account: on the first page.
    expect(row.locator("[data-foresight-attractiveness]")).to_have_text("10.00")
    expect(page.locator("td[data-foresight-box] .box")).to_have_count(1)
