"""Blind scoring in the round's history, and the review's choice of the round to compare."""

import datetime as dt

from auditlog.context import disable_auditlog
from playwright.sync_api import expect

from accounts.models import Customer
from scoring.models import Axis, Rating, ScoringRound


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/")


def _rate(page, url: str, label: str, value: str) -> None:
    page.goto(url)
    cell = page.get_by_label(label)
    cell.fill(value)
    with page.expect_response("**/ratings/") as saved:
        cell.press("Tab")
    assert saved.value.status == 200


def test_history_in_scoring_hides_others_values_and_review_compares_a_picked_round(
    login, demo_site
):
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    ScoringRound.objects.filter(pk=scoring_round.pk).update(status=ScoringRound.Status.SCORING)
    customer = Customer.objects.filter(owner__username="manager").order_by("name", "pk").first()
    with disable_auditlog():  # a clean slate, not part of the history under test
        Rating.objects.filter(round=scoring_round, customer=customer).delete()
    size = scoring_round.factors.get(axis=Axis.ATTRACTIVENESS, position=0)
    account_url = f"{demo_site.url}/rounds/{scoring_round.pk}/accounts/{customer.pk}/"
    cell = f"{customer.name} · {size.name}"
    what = f"Rating: {customer} / {size.name} / us"

    # The owner rates the account's size 6.43; the coordinator rates it 2.71, each blind.
    page = login("manager")
    _rate(page, account_url, cell, "6.43")
    _sign_out(page)
    login("team")
    _rate(page, account_url, cell, "2.71")

    # The round's history: the coordinator's own change with its value, the owner's as
    # "rated" only.
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/")
    history = page.locator("#history")
    theirs = history.locator("tr", has=page.locator("td[data-concealed]")).filter(has_text=what)
    expect(theirs).to_have_count(1)
    expect(theirs.locator("td[data-concealed]")).to_have_text("rated")
    expect(
        history.locator("tr")
        .filter(has_text=f"{customer} / {size.name} / us")
        .filter(has_text="→ 2.71")
    ).to_have_count(1)
    expect(history).not_to_contain_text("6.43")

    # The meeting reveals the owner's value in the history too.
    ScoringRound.objects.filter(pk=scoring_round.pk).update(status=ScoringRound.Status.MEETING)
    page.reload()
    expect(page.locator("#history")).to_contain_text("6.43")
    expect(page.locator("#history td[data-concealed]")).to_have_count(0)

    # The review compares with last year's decided round unless the team picks another.
    ScoringRound.objects.create(
        name="Key account selection 2025 (rerun)",
        date=scoring_round.date,
        status=ScoringRound.Status.SCORING,
    )
    older = ScoringRound.objects.create(
        name="Key account selection 2024",
        date=scoring_round.date - dt.timedelta(days=730),
        status=ScoringRound.Status.ARCHIVED,
    )
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/")
    page.get_by_role("link", name="Review").click()
    picker = page.get_by_label("Compare with")
    expect(picker.locator("option:checked")).to_contain_text("Key account selection 2025")
    expect(picker.locator("option")).to_have_count(2)  # the rerun in scoring is no choice
    expect(page.get_by_text("Compared with Key account selection 2025 (")).to_be_visible()
    picker.select_option(str(older.pk))
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(f"**/review/?compare={older.pk}")
    expect(page.get_by_text("Compared with Key account selection 2024")).to_be_visible()
    expect(page.get_by_label("Compare with").locator("option:checked")).to_contain_text("2024")
    # 2024 has no factors: nobody was placed then, so every placed account entered.
    expect(page.locator("table[data-review=left] tbody tr")).to_have_text(["None."])
