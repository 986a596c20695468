"""A user switches the interface to Indonesian; the choice follows them to the next sign-in."""

from playwright.sync_api import expect

from scoring.models import ScoringRound


def test_switching_to_indonesian_changes_the_labels_and_is_remembered(login, demo_site):
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    page = login("admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    page.get_by_label("Language").select_option("id")
    page.wait_for_url(f"{demo_site.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")
    nav = page.get_by_role("navigation", name="Utama")
    expect(nav.get_by_role("link", name="Pelanggan")).to_be_visible()
    expect(nav.get_by_role("link", name="Putaran")).to_be_visible()

    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/")
    chart = page.locator(".plotly-chart.matrix")
    expect(chart.locator(".ytitle")).to_have_text("Daya tarik pelanggan")
    expect(chart.locator(".xtitle")).to_contain_text("Kekuatan relatif")
    annotations = chart.locator(".annotation-text")
    expect(annotations.filter(has_text="Pengembangan kunci")).to_have_count(1)
    expect(annotations.filter(has_text="Pemeliharaan")).to_have_count(1)

    # Sign out, forget the browser's cookies, sign in again: the user's choice is kept.
    page.get_by_role("button", name="Keluar").click()
    page.context.clear_cookies()
    page = login("admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")
    expect(page.locator("html")).to_have_attribute("lang", "id")
