"""The meeting in the browser: the consensus cell's suggestion, the projector view's fit,
stepping through a subset of accounts, and the chart's labels."""

import statistics
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from scoring.models import Consensus, Rating, ScoringRound


@pytest.fixture
def meeting_round(demo_site):
    """The demo's current round, in its meeting (the demo leaves it there)."""
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    assert scoring_round.status == ScoringRound.Status.MEETING
    return scoring_round


def test_enter_on_the_suggested_median_records_it_as_the_consensus(login, demo_site, meeting_round):
    page = login("team")
    page.goto(f"{demo_site.url}/rounds/{meeting_round.pk}/disagreement/")
    first = page.locator("tr[data-cell]").first
    consensus = first.locator("input.rating-input")
    suggested = consensus.input_value()
    consensus.focus()
    with page.expect_response("**/consensus/") as saved:
        consensus.press("Enter")
    assert saved.value.status == 200
    expect(first.locator(".cell-msg.ok")).to_have_text("Agreed")

    # The value recorded is the median of the cell's ratings, computed here from the rows.
    recorded = Consensus.objects.get(round=meeting_round)
    values = Rating.objects.filter(
        round=meeting_round,
        customer=recorded.customer,
        factor=recorded.factor,
        competitor=recorded.competitor,
    ).values_list("value", flat=True)
    median = statistics.median(values)
    assert recorded.value == median
    assert Decimal(suggested) == median
