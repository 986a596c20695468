"""An admin shortens the Key cadence; after the nightly check a sales manager's dashboard
shows the accounts it makes overdue; logging a contact with one clears its line."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from planning.models import ContactLogEntry
from planning.selectors import decided_boxes
from planning.tasks import cadence_check_task


def test_a_shorter_key_cadence_puts_the_managers_accounts_on_their_dashboard(login, demo_site):
    manager = get_user_model().objects.get(username="manager")
    boxes = decided_boxes()
    mine = [c for c in manager.owned_customers.filter(pk__in=list(boxes)) if boxes[c.pk] == "key"]
    assert mine, "the demo's decided round gives the manager key accounts"
    ten_days_ago = timezone.localdate() - datetime.timedelta(days=10)
    # The demo's own contact log has some of them seen lately: here each was seen 10 days ago.
    ContactLogEntry.objects.filter(customer__in=mine).delete()
    for customer in mine:
        ContactLogEntry.objects.create(
            customer=customer, date=ten_days_ago, channel="visit", touch_point="purchase"
        )
    cadence_check_task.delay()  # every 14 days: none of them is due yet

    page = login("admin")
    page.goto(f"{demo_site.url}/planning/coverage/")
    key_cadence = page.locator('[name="key-cadence_days"]')
    expect(key_cadence).to_have_value("14")
    key_cadence.fill("7")
    page.get_by_role("button", name="Save the coverage").click()
    expect(page.get_by_text("Coverage of the boxes saved.")).to_be_visible()
    expect(key_cadence).to_have_value("7")

    page.context.clear_cookies()
    login("manager")
    expect(page.get_by_role("heading", name="Overdue for contact")).to_have_count(0)

    cadence_check_task.delay()  # the nightly job
    page.reload()
    overdue = page.locator("[data-cadence-overdue]")
    expect(overdue.get_by_role("heading", name="Overdue for contact")).to_be_visible()
    first = overdue.locator(f"[data-overdue-account='{mine[0].pk}']")
    expect(first).to_contain_text(mine[0].name)
    expect(first).to_contain_text("Not contacted for 10 days; cadence 7")
    expect(overdue.locator("li")).to_have_count(len(mine))

    # The manager visits the first account today and logs it: its line goes at once.
    page.goto(f"{demo_site.url}/planning/accounts/{mine[0].pk}/")
    page.get_by_text("Log a contact").click()
    log = page.locator("[data-log-form]")
    log.get_by_label("Contact person").select_option(index=0)
    log.get_by_label("Channel").select_option(label="Visit")
    log.get_by_label("Touch point").select_option(label="Purchase")
    log.get_by_role("button", name="Log the contact").click()
    expect(page.get_by_text("Contact logged.")).to_be_visible()
    page.goto(f"{demo_site.url}/")
    overdue = page.locator("[data-cadence-overdue]")
    expect(overdue.locator(f"[data-overdue-account='{mine[0].pk}']")).to_have_count(0)
    expect(overdue.locator("li")).to_have_count(len(mine) - 1)
