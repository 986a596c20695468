"""Two members rate an account differently; the coordinator works it out in the meeting."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import Customer
from scoring.models import Axis, Consensus, Decision, Rating, ScoringRound


@pytest.fixture
def scoring_stage(demo_site):
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    scoring_round.status = ScoringRound.Status.SCORING
    scoring_round.save()
    customer = Customer.objects.filter(owner__username="manager").order_by("name", "pk").first()
    Rating.objects.filter(round=scoring_round, customer=customer).delete()
    return scoring_round, customer


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/")


def test_disagreement_consensus_decision_and_export(login, demo_site, scoring_stage):
    scoring_round, customer = scoring_stage
    size = scoring_round.factors.get(axis=Axis.ATTRACTIVENESS, position=0)

    # The account's owner rates its size 9; the coordinator rates it 3, each blind.
    page = login("manager")
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/accounts/{customer.pk}/")
    cell = page.get_by_label(f"{customer.name} · {size.name}")
    cell.fill("9")
    with page.expect_response("**/ratings/") as saved:
        cell.press("Tab")
    assert saved.value.status == 200
    _sign_out(page)

    login("team")
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/accounts/{customer.pk}/")
    cell = page.get_by_label(f"{customer.name} · {size.name}")
    expect(cell).to_have_value("")  # blind: the owner's 9 is not shown
    cell.fill("3")
    with page.expect_response("**/ratings/") as saved:
        cell.press("Tab")
    assert saved.value.status == 200
    assert Rating.objects.filter(customer=customer, factor=size).count() == 2

    # The coordinator opens the meeting: the widest disagreement comes first.
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/team/")
    page.get_by_role("button", name="Move to Meeting").click()
    expect(page.locator(".stages .current")).to_have_text("Meeting")
    page.get_by_role("link", name="Disagreement").click()
    first = page.locator("tr[data-cell]").first
    expect(first).to_contain_text(customer.name)
    expect(first).to_contain_text(size.name)
    expect(first).to_contain_text("3–9")

    # Consensus: the suggestion is the median (6); the team agrees on 7.
    consensus = first.get_by_label(f"Consensus · {customer.name} · {size.name}")
    expect(consensus).to_have_value("6")
    consensus.fill("7")
    consensus.press("Tab")
    expect(first.locator(".cell-msg.ok")).to_have_text("Agreed")
    assert Consensus.objects.get(customer=customer, factor=size).value == Decimal(7)

    # The decision, in the meeting view: a de-selection needs a rationale.
    first.get_by_role("link", name="Discuss").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(customer.name)
    page.get_by_label("Decision", exact=True).select_option("deselected")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#decision-form [role=alert]")).to_contain_text("Say why")
    page.get_by_label("Rationale").fill("Buys on price alone; pays late.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#decision-form [role=status]")).to_have_text("Decision recorded.")
    assert Decision.objects.get(round=scoring_round, customer=customer).choice == "deselected"

    # The meeting pack holds the consensus and the decision.
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/decisions/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Meeting pack (Excel)").click()
    pack = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    consensus_rows = [row for row in pack["Consensus"].values if row[0] == customer.code]
    assert consensus_rows[0][2:5] == (size.name, "us", 7)
    decision_rows = [row for row in pack["Decisions"].values if row[0] == customer.code]
    assert decision_rows[0][3] == "De-selected"
    assert decision_rows[0][5] == "Buys on price alone; pays late."
