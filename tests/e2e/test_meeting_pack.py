"""The Decisions page names boxes and decisions in the reader's language, and the meeting
pack it links to downloads with its summary, matrix image and labels."""

import io
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import Customer
from scoring.models import Decision, ScoringRound

User = get_user_model()


@pytest.fixture
def decided(demo_site):
    """The demo's round in its meeting, with one account decided as key development."""
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    assert scoring_round.status == ScoringRound.Status.MEETING
    customer = Customer.objects.order_by("name", "pk").first()
    Decision.objects.create(
        round=scoring_round,
        customer=customer,
        choice=Decision.Choice.KEY_DEVELOPMENT,
        coverage=Decision.Coverage.HUNTER,
        rationale="Attractive; we must build our position first.",
        box_at_decision="key_development",
        decided_by=User.objects.get(username="team"),
    )
    return scoring_round, customer


def test_decisions_page_shows_labels_and_the_pack_downloads(login, demo_site, decided):
    scoring_round, customer = decided
    page = login("team")
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/decisions/")
    row = page.get_by_role("row").filter(has_text=customer.name)
    expect(row.locator("[data-box]")).to_have_text("Key development")
    expect(row).to_contain_text("Hunter")
    expect(page.locator("main")).not_to_contain_text("key_development")

    page.get_by_label("Language").select_option("id")
    # The switcher posts on change; the next page load must come after its answer.
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/decisions/")
    row = page.get_by_role("row").filter(has_text=customer.name)
    expect(row.locator("[data-box]")).to_have_text("Pengembangan kunci")
    expect(page.locator("main")).not_to_contain_text("key_development")

    with page.expect_download() as download:
        page.get_by_role("link", name="Paket rapat (Excel)").click()
    assert download.value.suggested_filename == f"round-{scoring_round.pk}-pack.xlsx"
    pack = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert pack.sheetnames[:2] == ["Ringkasan", "Matriks"]
    assert len(pack["Matriks"]._images) == 1
    rows = [tuple(v for v in row if v is not None) for row in pack["Ringkasan"].values]
    decided_counts = Counter(
        Decision.objects.filter(round=scoring_round).values_list("choice", flat=True)
    )
    decision_counts = rows[rows.index(("Keputusan", "Akun")) + 1 :]
    assert ("Pengembangan kunci", decided_counts["key_development"]) in decision_counts
    decisions = [row for row in pack["Keputusan"].values if row[0] == customer.code]
    assert decisions[0][2:5] == ("Pengembangan kunci", "Pengembangan kunci", "Hunter (pemburu)")
    assert decisions[0][6] == "Rudi Hartono"
