"""A sales manager maps two people at one of their accounts, sees the org chart and its gap,
logs a contact and finds it on the customer list."""

from playwright.sync_api import expect

from accounts.models import Customer


def test_a_manager_maps_an_account_and_logs_a_contact(login, demo_site):
    # One of the manager's accounts nobody has mapped yet (the demo maps its key accounts).
    customer = (
        Customer.objects.filter(owner__username="manager", contacts__isnull=True)
        .order_by("name")
        .first()
    )
    page = login("manager")
    page.goto(f"{demo_site.url}/customers/{customer.pk}/")
    page.get_by_role("link", name="Relationship map and contact log").click()
    expect(page.get_by_role("heading", name="Relationship map")).to_be_visible()

    page.get_by_text("Add a person").click()
    form = page.locator("[data-contact-form]")
    form.get_by_label("Name").fill("Dewi Lestari")
    form.get_by_label("Title").fill("Director of Operations")
    form.get_by_label("Role in buying").select_option(label="Decision maker")
    form.get_by_label("Stance towards us").select_option(label="Supporter")
    form.get_by_role("button", name="Add to the map").click()
    expect(page.get_by_text("Dewi Lestari is on the map.")).to_be_visible()

    page.get_by_text("Add a person").click()
    form.get_by_label("Name").fill("Budi Santoso")
    form.get_by_label("Role in buying").select_option(label="Influencer")
    form.get_by_label("Reports to").select_option(label="Dewi Lestari")
    form.get_by_label("Relationship owner (our side)").select_option(index=1)
    form.get_by_role("button", name="Add to the map").click()
    expect(page.get_by_text("Budi Santoso is on the map.")).to_be_visible()

    chart = page.locator("[data-orgchart]")
    expect(chart.locator("g[data-contact]")).to_have_count(2)
    expect(chart.locator("polyline")).to_have_count(1)
    boss_box = chart.locator('g[data-contact="Dewi Lestari"]').bounding_box()
    report_box = chart.locator('g[data-contact="Budi Santoso"]').bounding_box()
    assert report_box["y"] > boss_box["y"] + boss_box["height"]  # drawn under their boss
    expect(chart.locator("text", has_text="Director of Operations")).to_be_visible()
    expect(page.locator("[data-gap]")).to_have_text(["No executive sponsor."])

    page.get_by_text("Log a contact").click()
    log = page.locator("[data-log-form]")
    log.get_by_label("Contact person").select_option(label="Budi Santoso")
    log.get_by_label("Channel").select_option(label="Visit")
    log.get_by_label("Touch point").select_option(label="Post-purchase")
    log.get_by_label("Note").fill("Reviewed the last delivery")
    log.get_by_role("button", name="Log the contact").click()
    expect(page.get_by_text("Contact logged.")).to_be_visible()
    expect(page.locator("[data-contact-log]")).to_contain_text("Reviewed the last delivery")

    page.get_by_role("link", name="Customers", exact=True).click()
    page.get_by_label("Search").fill(customer.code)
    row = page.locator(f'tr[data-customer="{customer.code}"]')
    expect(row.locator('[data-column="last_contact"]')).to_contain_text("0 days ago")
    expect(page.get_by_role("columnheader", name="Last contact")).to_be_visible()
