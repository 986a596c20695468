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


def _grid_cell(page, customer, factor):
    return page.locator(f"#rating-{customer.pk}-{factor.pk}-us")


def test_grid_refuses_bad_input_saves_at_the_edge_and_clears_with_undo(
    login, demo_site, key_account
):
    scoring_round, customer = key_account
    first, second, third = scoring_round.factors.filter(axis=Axis.ATTRACTIVENESS).order_by(
        "position"
    )[:3]
    page = login("manager")
    grid_url = f"{demo_site.url}/rounds/{scoring_round.pk}/grid/"
    page.goto(grid_url)

    # A refused entry says why, stays as typed, and names the rating still stored (6).
    cell = _grid_cell(page, customer, first)
    for typed, message in (
        ("7.333", "more than 2 decimals"),
        ("1e1", "is not a number"),
        ("-1", "out of range"),
    ):
        cell.fill(typed)
        cell.press("Tab")
        alert = page.locator(".cell.invalid [role=alert]")
        expect(alert).to_contain_text(message)
        expect(alert).to_contain_text("The saved rating is still 6")
        expect(cell).to_have_value(typed)
    assert Rating.objects.get(customer=customer, factor=first).value == Decimal(6)

    # Enter on the grid's last cell (last row, last column) saves it like any other cell,
    # and the cell keeps the focus.
    last = page.locator("tbody tr").last.locator("input.rating-input").last
    last_id = last.get_attribute("id")
    last.fill("3.5")
    last.press("Enter")
    last = page.locator(f"#{last_id}")
    expect(last).to_have_attribute("data-stored", "3.5")
    expect(last).to_be_focused()
    page.reload()
    expect(page.locator(f"#{last_id}")).to_have_value("3.5")

    # Clearing waits with an undo: undone, the rating stays.
    cell = _grid_cell(page, customer, second)
    cell.fill("")
    cell.press("Tab")
    notice = page.locator(".cell-msg.pending")
    expect(notice).to_contain_text("Rating cleared.")
    notice.get_by_role("button", name="Undo").click()
    expect(notice).to_have_count(0)
    expect(cell).to_have_value("6")

    # Not undone, the rating is gone once the notice has stood its few seconds. The undone
    # clear above would have been sent before this one: its rating is still there.
    cell = _grid_cell(page, customer, third)
    cell.fill("")
    cell.press("Tab")
    expect(notice).to_have_count(1)
    expect(cell).to_have_attribute("data-stored", "", timeout=20_000)
    expect(notice).to_have_count(0)
    assert not Rating.objects.filter(customer=customer, factor=third).exists()
    assert Rating.objects.get(customer=customer, factor=second).value == Decimal(6)
    page.reload()
    expect(_grid_cell(page, customer, third)).to_have_value("")

    # Leaving the page while a clear waits confirms it.
    cell = _grid_cell(page, customer, second)
    cell.fill("")
    cell.press("Tab")
    expect(notice).to_have_count(1)
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/")
    for _attempt in range(100):  # the request that outlives the page arrives on its own time
        if not Rating.objects.filter(customer=customer, factor=second).exists():
            break
        page.wait_for_timeout(100)
    assert not Rating.objects.filter(customer=customer, factor=second).exists()
