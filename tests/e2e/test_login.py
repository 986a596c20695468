"""A sales manager signs in and lands on the dashboard."""

from playwright.sync_api import expect


def test_manager_signs_in_and_sees_the_dashboard(login, demo_site):
    page = login("manager")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.locator("[data-stat=customers] .stat-value")).to_have_text("300")
    expect(page.locator(".role-badge")).to_have_text("Sales manager")


def test_wrong_password_is_refused(page, demo_site):
    page.goto(f"{demo_site.url}/")
    assert "/login/" in page.url
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")
