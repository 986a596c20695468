"""An admin recomputes the tiers from the dashboard and reads the Pareto page."""

from playwright.sync_api import expect

from accounts.services import metrics_recompute


def test_admin_recomputes_and_sees_the_pareto_chart_and_tier_counts(login, demo_site):
    page = login("admin")
    page.get_by_role("button", name="Recompute now").click()
    expect(page.locator("[data-run-status=succeeded]")).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Pareto", exact=True).click()
    expect(page.get_by_role("heading", name="Pareto tiers")).to_be_visible()
    expect(page.locator("#pareto-chart .main-svg").first).to_be_visible(timeout=15_000)
    counts = [
        int(page.locator(f"tr[data-tier={tier}] [data-count]").inner_text()) for tier in "ABC"
    ]
    assert sum(counts) == 300
    assert all(count > 0 for count in counts)


def test_manager_filters_the_customer_list_by_tier(login, demo_site):
    metrics_recompute()
    page = login("manager")
    page.goto(f"{demo_site.url}/customers/?scope=all")
    page.get_by_label("Tier").select_option("A")
    expect(page).to_have_url(
        f"{demo_site.url}/customers/?scope=all&segment=&tier=A&stage=&signal=&q=&sort=name"
    )
    tiers = page.locator("#customer-table tbody .tier").all_inner_texts()
    assert tiers and set(tiers) == {"A"}
