"""A sales manager writes a key account's plan with one ledger-bound objective and sees its
progress against the target after a metrics recompute."""

from decimal import ROUND_HALF_UP, Decimal

from playwright.sync_api import expect

from accounts.models import Customer, CustomerMetrics
from accounts.services import metrics_recompute
from planning.models import AccountPlan
from planning.selectors import key_account_decisions


def test_manager_plans_a_key_account_and_sees_progress_after_a_recompute(login, demo_site):
    key_ids = set(key_account_decisions())
    customer = (
        Customer.objects.filter(owner__username="manager", pk__in=key_ids)
        .order_by("name", "pk")
        .first()
    )
    # The demo plans its key accounts already: this one starts from a blank page.
    AccountPlan.objects.filter(customer=customer).delete()
    page = login("manager")
    page.goto(f"{demo_site.url}/planning/plans/")
    page.locator(f'tr[data-customer="{customer.code}"]').get_by_role("link").click()
    page.get_by_role("button", name="Start the plan").click()

    page.get_by_label("Our goals").fill("Become their sole supplier of coatings")
    page.get_by_label("Relationship stage").select_option("closer")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#plan-texts [data-stage=closer]")).to_be_visible()

    form = page.locator("form", has=page.get_by_role("button", name="Add the objective"))
    form.get_by_label("Objective").fill("Grow the revenue")
    form.get_by_label("Tracked from the ledger").select_option("revenue")
    form.get_by_label("Baseline").fill("0")
    form.get_by_label("Target").fill("2000000000")
    form.get_by_label("Due date").fill("2026-12-31")
    form.get_by_label("Status").select_option("active")
    form.get_by_role("button", name="Add the objective").click()
    objective = page.locator('[data-objective="Grow the revenue"]')
    expect(objective.locator("[data-progress]")).to_have_text("no value yet")

    metrics_recompute()
    # Progress = (revenue - 0) / (2,000,000,000 - 0); in percent, revenue / 20,000,000.
    revenue = CustomerMetrics.objects.get(customer=customer).revenue
    percent = (revenue / Decimal(20_000_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    page.reload()
    expect(objective.locator("[data-progress]")).to_have_text(f"{percent} %")
    expect(objective.locator(".plotly-chart .main-svg").first).to_be_visible(timeout=15_000)
