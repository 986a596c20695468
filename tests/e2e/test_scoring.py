"""A sales manager rates in the grid and sees the account move on the matrix."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Customer
from scoring.models import Axis, Rating, ScoringRound


@pytest.fixture
def key_account(demo_site):
    """The manager's first account (by name) set to attractiveness 6 and strength 8: Key."""
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    customer = Customer.objects.filter(owner__username="manager").order_by("name", "pk").first()
    manager = customer.owner
    Rating.objects.filter(round=scoring_round, customer=customer).delete()
    for factor in scoring_round.factors.all():
        value = Decimal(6) if factor.axis == Axis.ATTRACTIVENESS else Decimal(8)
        Rating.objects.create(
            round=scoring_round, customer=customer, factor=factor, rater=manager, value=value
        )
    return scoring_round, customer


def test_manager_rates_an_account_across_the_cutoff(login, demo_site, key_account):
    scoring_round, customer = key_account
    page = login("manager")
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/grid/")
    row = page.locator(f'tr[data-customer="{customer.pk}"]')
    expect(row.locator(f"#box-{customer.pk}")).to_have_text("Key")

    # "Size of business with us" weighs 25: 0.25×1 + 0.75×6 = 4.75, under the cut-off of 5.
    first_cell = row.locator("input.rating-input").first
    first_cell.fill("1")
    first_cell.press("Enter")
    expect(row.locator(f"#box-{customer.pk}")).to_have_text("Maintenance")
    expect(row.locator(f"#score-a-{customer.pk}")).to_have_text("4.75")
    # Enter moved the focus to the same factor on the next account.
    next_row_cell = page.locator("tbody tr").nth(1).locator("input.rating-input").first
    expect(next_row_cell).to_be_focused()

    # An out-of-range value is refused in place and nothing is stored.
    second_cell = row.locator("input.rating-input").nth(1)
    second_cell.fill("11")
    second_cell.press("Tab")
    expect(row.locator(".cell.invalid [role=alert]")).to_contain_text("out of range")
    expect(row.locator(".cell.invalid [role=alert]")).to_contain_text("The saved rating is still 6")
    factor = scoring_round.factors.filter(axis=Axis.ATTRACTIVENESS).order_by("position")[1]
    assert Rating.objects.get(customer=customer, factor=factor).value == Decimal(6)

    # The matrix shows the account in its new box, on the chart and in the filtered table.
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/")
    chart = page.locator(".plotly-chart.matrix")
    expect(chart.locator(".scatterlayer .point").first).to_be_visible()
    point = page.evaluate(
        """(name) => {
            const chart = document.querySelector('.plotly-chart.matrix');
            for (const trace of chart.data) {
                const i = trace.text.indexOf(name);
                if (i >= 0) return {x: trace.x[i], y: trace.y[i]};
            }
            return null;
        }""",
        customer.name,
    )
    assert point == {"x": 8, "y": 4.75}
    page.locator("select[name=owner]").select_option(label="Dewi Santoso")
    page.locator("select[name=box]").select_option(label="Maintenance")
    expect(page.locator("#matrix-body table")).to_contain_text(customer.name)
    expect(page.locator("#matrix-body table [data-box]").first).to_have_text("Maintenance")
