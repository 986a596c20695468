"""The pages run under the Content Security Policy with nothing refused, charts included,
and repeated failed sign-ins lock the sign-in with a clear message."""

from playwright.sync_api import expect

from accounts.models import Customer
from scoring.models import ScoringRound

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_pages_and_charts_run_with_no_csp_violation(login, demo_site):
    page = login("team")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.add_init_script(WATCH_CSP)
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    customer = Customer.objects.order_by("name").first()
    base = f"{demo_site.url}/rounds/{scoring_round.pk}"
    for path in (
        "/",
        f"{base}/",
        f"{base}/accounts/{customer.pk}/",
        f"{base}/grid/",
        f"{base}/factors/",
    ):
        url = path if path.startswith("http") else f"{demo_site.url}{path}"
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") == [], (
            url,
            page.evaluate("window.__cspViolations"),
        )
    page.goto(f"{base}/")
    expect(page.locator(".plotly-chart.matrix[data-drawn='1'] .main-svg").first).to_be_visible()
    page.goto(f"{base}/accounts/{customer.pk}/")
    expect(page.locator("[data-figure='attractiveness-figure'][data-drawn='1']")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_repeated_wrong_passwords_lock_the_sign_in(page, demo_site, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{demo_site.url}/login/")
        page.get_by_label("Username").fill("manager")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("locked")
    page.goto(f"{demo_site.url}/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign-in temporarily locked")).to_be_visible()
