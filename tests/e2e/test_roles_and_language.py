"""What each role is offered, the error pages, the dashboard after a recompute, and the
pages in Indonesian."""

import re
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Customer, CustomerMetrics
from accounts.services import metrics_recompute
from scoring.models import ScoringRound
from tests.factories import LedgerLineFactory

# Words of the interface that an Indonesian page must not show (the demo company's own
# texts, typed in English, contain none of them).
ENGLISH = re.compile(
    r"\b(create|update|delete|checksum|File|Galat|Inggris|Implementer|Coordinator|"
    r"Monitor/evaluator|Resource investigator|Selected as key account|Sign out|Dashboard|"
    r"True|False|Save|Change)\b"
)


def _round():
    return ScoringRound.objects.get(name="Key account selection 2026")


def _indonesian(page):
    page.get_by_label("Language").select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")


def test_a_manager_reads_without_controls_and_a_refusal_says_why(login, demo_site):
    scoring_round = _round()
    page = login("manager")
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/team/")
    expect(page.get_by_role("heading", name="Selection team")).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Move to"))).to_have_count(0)
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/factors/")
    weights = page.locator("input.weight")
    expect(weights.first).to_be_disabled()
    expect(page.get_by_role("button", name="Add a factor")).to_have_count(0)

    page.goto(f"{demo_site.url}/rounds/new/")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        "Your role does not give access to this page or action."
    )
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()  # the app's layout
    page.get_by_role("link", name="Back to the dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    icon = page.request.get(f"{demo_site.url}/favicon.ico")
    assert icon.ok and icon.headers["content-type"].startswith("image/svg")


def test_the_teams_refusal_before_the_meeting_says_why_in_indonesian(login, demo_site):
    scoring_round = _round()
    ScoringRound.objects.filter(pk=scoring_round.pk).update(status=ScoringRound.Status.SCORING)
    page = login("team")
    _indonesian(page)
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/meeting/")
    expect(page.get_by_role("heading", name="Tidak diizinkan")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        "Penilaian dibuka ketika putaran mencapai tahap rapat."
    )
    expect(page.get_by_role("link", name="Kembali ke dasbor")).to_be_visible()


def _tier_a_count() -> int:
    return CustomerMetrics.objects.filter(tier="A").count()


def test_the_dashboard_tiers_refresh_when_the_recompute_finishes(login, demo_site):
    metrics_recompute()
    before = _tier_a_count()
    page = login("admin")
    cards = page.locator("[data-tier-count=A] .stat-value")
    expect(cards).to_have_text(str(before))
    # The smallest customer buys ten times everyone's total: tier A shrinks to one.
    smallest = CustomerMetrics.objects.order_by("value").first().customer
    total = sum(CustomerMetrics.objects.values_list("value", flat=True))
    LedgerLineFactory(
        customer=smallest, invoice_date=timezone.localdate(), amount=Decimal(total) * 10
    )
    with page.expect_response("**/metrics/recompute/", timeout=60_000) as started:
        page.get_by_role("button", name="Recompute now").click()
    assert started.value.ok
    expect(page.locator("[data-run-status=succeeded]")).to_be_visible(timeout=30_000)
    after = _tier_a_count()
    assert after != before
    expect(cards).to_have_text(str(after))  # without a reload
    expect(page.locator("table[data-moves]")).to_be_visible()


def test_a_new_round_is_created_in_indonesian(login, demo_site):
    page = login("team")
    _indonesian(page)
    page.goto(f"{demo_site.url}/rounds/new/")
    date = page.get_by_label("Tanggal")
    expect(date).to_have_value(timezone.localdate().isoformat())
    page.get_by_label("Nama").fill("Seleksi 2027")
    page.get_by_role("button", name="Buat putaran").click()
    created = ScoringRound.objects.filter(name="Seleksi 2027")
    page.wait_for_url(re.compile(r"/rounds/\d+/factors/$"))
    assert created.get().date == timezone.localdate()


def test_the_main_pages_in_indonesian_show_no_english_interface_words(login, demo_site):
    scoring_round = _round()
    decided = ScoringRound.objects.get(name="Key account selection 2025")
    customer = Customer.objects.order_by("code").first()
    page = login("admin")
    _indonesian(page)
    paths = [
        "/",
        "/customers/?scope=all",
        f"/customers/{customer.pk}/",
        "/pareto/",
        "/imports/",
        "/rounds/",
        "/rounds/new/",
        f"/rounds/{scoring_round.pk}/",
        f"/rounds/{scoring_round.pk}/factors/",
        f"/rounds/{scoring_round.pk}/team/",
        f"/rounds/{scoring_round.pk}/accounts/{customer.pk}/",
        f"/rounds/{decided.pk}/",
    ]
    found = {}
    for path in paths:
        page.goto(f"{demo_site.url}{path}")
        # The switcher names English in English, on purpose.
        text = page.locator("main").inner_text() + page.locator("nav.mainnav").inner_text()
        words = sorted(set(ENGLISH.findall(text)))
        if words:
            found[path] = words
    assert found == {}
