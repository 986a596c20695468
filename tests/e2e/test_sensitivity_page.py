"""Sensitivity in the browser: a refused cut-off says why; the chart rings who changes box."""

import pytest
from playwright.sync_api import expect

from scoring.models import ScoringRound
from scoring.selectors import round_matrix


@pytest.fixture
def demo_round(demo_site):
    return ScoringRound.objects.get(name="Key account selection 2026")


def _ringed(page) -> list[str]:
    return page.evaluate(
        """() => {
            const chart = document.querySelector('#sensitivity-body .plotly-chart');
            const trace = chart.data.find(t => t.name === 'Changes box');
            return trace ? trace.text : [];
        }"""
    )


def test_refused_cutoff_and_ringed_accounts(login, demo_site, demo_round):
    page = login("team")
    page.goto(f"{demo_site.url}/rounds/{demo_round.pk}/sensitivity/")
    cutoff = page.get_by_label("Attractiveness cut-off")
    errors = page.locator("#sensitivity-errors")
    heading = page.locator("#sensitivity-body h2").first
    at_round_cutoff = "0 accounts change box"  # the slider at rest moves no one
    expect(heading).to_have_text(at_round_cutoff)
    for typed in ("15", "-3"):
        cutoff.fill(typed)
        expect(errors).to_contain_text("Attractiveness cut-off must be a number from 0 to 10.")
        # Neither clamped to 10 or 0 nor ignored in silence: the round's cut-off stays.
        expect(heading).to_have_text(at_round_cutoff)
    cutoff.fill("6")
    expect(errors).to_have_text("")
    expect(heading).not_to_have_text(at_round_cutoff)
    changes = page.locator("[data-changes] tbody td:first-child a")
    expect(changes.first).to_be_visible()
    names = changes.all_inner_texts()
    page.wait_for_function(
        "document.querySelector('#sensitivity-body .plotly-chart').data !== undefined"
    )
    assert sorted(_ringed(page)) == sorted(names)
    # Independently: the placed accounts whose attractiveness lies between the cut-offs.
    matrix = round_matrix(scoring_round=demo_round)
    a = matrix.result.attractiveness
    expected = {
        matrix.customers[row].name
        for row in range(len(matrix.customers))
        if matrix.result.complete[row] and 5 <= a[row] < 6
    }
    assert set(names) == expected and len(expected) > 3
