"""The grid's unrated and search filters, and the dashboard's accounts and factors left."""

import pytest
from playwright.sync_api import expect

from accounts.models import Competitor, Customer
from scoring.models import Axis, Rating, ScoringRound


@pytest.fixture
def scoring_round(demo_site):
    """The demo's 2026 round back in scoring, a few of the manager's cells cleared."""
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    ScoringRound.objects.filter(pk=scoring_round.pk).update(status=ScoringRound.Status.SCORING)
    owned = Customer.objects.filter(owner__username="manager").order_by("name", "pk")
    first_factor = scoring_round.factors.filter(axis=Axis.ATTRACTIVENESS, metric="").first()
    Rating.objects.filter(
        round=scoring_round, customer__in=list(owned[:3]), factor=first_factor
    ).delete()
    return scoring_round


def test_manager_filters_the_grid_to_unrated_cells_and_searches(login, demo_site, scoring_round):
    page = login("manager")
    manager_accounts = list(Customer.objects.filter(owner__username="manager"))
    grid_factors = list(scoring_round.factors.filter(axis=Axis.ATTRACTIVENESS, metric=""))
    strength_factors = list(scoring_round.factors.filter(axis=Axis.STRENGTH))
    subjects = 1 + Competitor.objects.count()
    mine = Rating.objects.filter(round=scoring_round, rater__username="manager")
    cells = set(mine.values_list("customer_id", "factor_id", "competitor_id"))

    # Independently: which of the manager's accounts and factors still have an empty cell.
    def missing(customer, factor):
        wanted = (
            [None]
            if factor.axis == Axis.ATTRACTIVENESS
            else [None, *Competitor.objects.values_list("pk", flat=True)]
        )
        return any((customer.pk, factor.pk, c) not in cells for c in wanted)

    every_factor = grid_factors + strength_factors
    accounts_left = sum(1 for c in manager_accounts if any(missing(c, f) for f in every_factor))
    factors_left = sum(1 for f in every_factor if any(missing(c, f) for c in manager_accounts))
    assert accounts_left >= 3 and subjects > 1
    item = page.locator(f'[data-pending-round="{scoring_round.pk}"] [data-left]')
    accounts_word = "account" if accounts_left == 1 else "accounts"
    factors_word = "factor" if factors_left == 1 else "factors"
    expect(item).to_have_text(
        f"{accounts_left} {accounts_word} and {factors_left} {factors_word} left to rate"
    )

    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/grid/")
    page.get_by_label("Only accounts with cells I have not rated").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**unrated=1**")
    rows = page.locator("tbody tr[data-customer]")
    expected = sorted(
        (c.name, c.pk) for c in manager_accounts if any(missing(c, f) for f in grid_factors)
    )
    names = [name.strip() for name in page.locator("tbody th[scope=row] a").all_inner_texts()]
    assert names == [name for name, _pk in expected][:25]
    # Every row shown has an empty cell of the manager's own.
    for row in rows.all():
        values = row.locator("input.rating-input").evaluate_all(
            "inputs => inputs.map(i => i.value)"
        )
        assert "" in values

    target = expected[1][0]
    page.get_by_role("searchbox", name="Account").fill(target)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("tbody th[scope=row] a")).to_have_text([target])
