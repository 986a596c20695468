"""The conflicts list: the latest decided round's decisions beside the ledger's tier and
stage, each rule on cases made by hand."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import CustomerMetrics, MetricsRun
from planning.selectors import account_conflicts
from scoring.models import Decision, ScoringRound
from tests.factories import CustomerFactory, ScoringRoundFactory

pytestmark = pytest.mark.django_db


def _decided(name="Selection 2026", date=datetime.date(2026, 6, 1), status="decided"):
    return ScoringRoundFactory(name=name, date=date, status=status)


def _account(scoring_round, name, *, choice, tier=None, stage="steady"):
    customer = CustomerFactory(name=name)
    if tier:
        run = MetricsRun.objects.first() or MetricsRun.objects.create(
            trigger="command", status="succeeded", started_at=timezone.now()
        )
        CustomerMetrics.objects.create(customer=customer, run=run, rank=1, tier=tier, stage=stage)
    Decision.objects.create(
        round=scoring_round, customer=customer, choice=choice, coverage="farmer"
    )
    return customer


def test_each_rule_names_the_accounts_it_concerns_and_nothing_else():
    scoring_round = _decided()
    _account(scoring_round, "A opportunistic", choice="opportunistic", tier="A")
    _account(scoring_round, "A deselected", choice="deselected", tier="A")
    _account(scoring_round, "A maintenance", choice="maintenance", tier="A")
    _account(scoring_round, "B opportunistic", choice="opportunistic", tier="B")
    _account(scoring_round, "Key lapsed", choice="key", tier="B", stage="lapsed")
    _account(scoring_round, "Key declining", choice="key", tier="A", stage="declining")
    _account(scoring_round, "Key growing", choice="key", tier="A", stage="growing")
    _account(
        scoring_round, "Development lapsed", choice="key_development", tier="C", stage="lapsed"
    )
    _account(scoring_round, "No metrics", choice="deselected")
    found = account_conflicts()
    assert found["round"] == scoring_round
    older_rules = [c for c in found["conflicts"] if c.kind in ("tier_a_not_selected", "key_fading")]
    assert [(c.customer.name, c.kind) for c in older_rules] == [
        ("A deselected", "tier_a_not_selected"),
        ("A opportunistic", "tier_a_not_selected"),
        ("Key declining", "key_fading"),
        ("Key lapsed", "key_fading"),
    ]
    reasons = {c.customer.name: c.reason for c in older_rules}
    assert reasons["A deselected"] == "Tier A by revenue, but decided De-selected."
    assert reasons["Key lapsed"] == "Selected as key account, but its purchases are lapsed."
    only = account_conflicts(kind="key_fading")["conflicts"]
    assert {c.customer.name for c in only} == {"Key declining", "Key lapsed"}


def test_only_the_latest_decided_round_counts():
    older = _decided(
        name="2025", date=datetime.date(2025, 6, 1), status=ScoringRound.Status.ARCHIVED
    )
    current = _decided()
    ScoringRoundFactory(
        name="Still scoring", date=datetime.date(2026, 11, 1), status=ScoringRound.Status.SCORING
    )
    customer = _account(older, "Was deselected", choice="deselected", tier="A")
    Decision.objects.create(round=current, customer=customer, choice="key", coverage="farmer")
    kinds = {c.kind for c in account_conflicts()["conflicts"]}
    assert "tier_a_not_selected" not in kinds
    assert account_conflicts()["round"] == current


def test_no_decided_round_no_conflicts_and_the_page_says_why(client, team_user):
    assert account_conflicts() == {"round": None, "conflicts": []}
    client.force_login(team_user)
    response = client.get(reverse("planning:conflict_index"))
    assert "No round is decided yet" in response.content.decode()


def test_the_page_lists_and_filters_with_a_constant_number_of_queries(
    client, team_user, django_assert_max_num_queries
):
    scoring_round = _decided()
    for n in range(12):
        _account(scoring_round, f"Key lapsed {n:02d}", choice="key", tier="B", stage="lapsed")
        _account(scoring_round, f"A out {n:02d}", choice="opportunistic", tier="A")
    client.force_login(team_user)
    url = reverse("planning:conflict_index")
    # 24 accounts: a query per account would exceed this by far.
    with django_assert_max_num_queries(18):
        page = client.get(url).content.decode()
    assert page.count('data-conflict="key_fading"') == 12
    assert page.count('data-conflict="tier_a_not_selected"') == 12
    filtered = client.get(url, {"kind": "key_fading"}, HTTP_HX_REQUEST="true").content.decode()
    assert filtered.count("data-conflict=") == 12 and "<html" not in filtered


def test_a_key_account_without_a_plan_contact_or_happy_customers_is_named(manager_user):
    from planning.models import AccountPlan, ContactLogEntry, NpsAnswer

    scoring_round = _decided()
    today = timezone.localdate()
    looked_after = _account(scoring_round, "Looked after", choice="key", tier="A", stage="steady")
    neglected = _account(scoring_round, "Neglected", choice="key", tier="A", stage="steady")
    _account(scoring_round, "Maintained", choice="maintenance", tier="B", stage="steady")
    AccountPlan.objects.create(customer=looked_after, year=today.year)
    ContactLogEntry.objects.create(
        customer=looked_after, date=today, channel="visit", touch_point="purchase"
    )
    ContactLogEntry.objects.create(
        customer=neglected,
        date=today - datetime.timedelta(days=45),
        channel="visit",
        touch_point="purchase",
    )
    # Five answers this quarter for the neglected account: 1 promoter, 3 detractors: -40.
    for n, score in enumerate([10, 3, 5, 6, 8]):
        NpsAnswer.objects.create(
            customer=neglected, respondent=f"R{n}", answered_on=today, score=score
        )
    found = {(c.customer.name, c.kind): c.reason for c in account_conflicts()["conflicts"]}
    assert set(found) == {
        ("Neglected", "key_unplanned"),
        ("Neglected", "key_not_contacted"),
        ("Neglected", "key_detractors"),
    }
    assert found[("Neglected", "key_not_contacted")].endswith(
        "Not contacted for 45 days; cadence 14"
    )
    assert found[("Neglected", "key_detractors")] == (
        "Selected as key account, but its latest NPS is -40."
    )
