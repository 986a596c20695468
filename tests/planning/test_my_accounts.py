"""My accounts: the owner's accounts with their decision, tier and last contact, filtered
and sorted in SQL, in a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import CustomerMetrics, MetricsRun
from planning.models import ContactLogEntry
from planning.selectors import days_since, my_accounts, my_accounts_filters_clean
from scoring.models import Decision
from tests.factories import CustomerFactory, ScoringRoundFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)


def _contact(customer, date):
    ContactLogEntry.objects.create(
        customer=customer, date=date, channel="phone", touch_point="post_purchase"
    )


def _filters(**given):
    values = {"scope": "mine", "decision": "", "tier": "", "sort": "", "query": ""} | given
    return my_accounts_filters_clean(**values)


def test_days_since_counts_whole_days_and_none_when_never():
    assert days_since(date=TODAY, today=TODAY) == 0
    assert days_since(date=datetime.date(2026, 11, 19), today=TODAY) == 14
    assert days_since(date=None, today=TODAY) is None


def test_the_owners_accounts_with_decision_and_last_contact(manager_user, team_user):
    decided = ScoringRoundFactory(decided=True, date=datetime.date(2026, 6, 1))
    key = CustomerFactory(name="Key Ltd", owner=manager_user)
    kept = CustomerFactory(name="Kept Ltd", owner=manager_user)
    CustomerFactory(name="Silent Ltd", owner=manager_user)
    CustomerFactory(name="Someone else's", owner=team_user)
    Decision.objects.create(round=decided, customer=key, choice="key", coverage="farmer")
    Decision.objects.create(round=decided, customer=kept, choice="maintenance", coverage="farmer")
    _contact(key, datetime.date(2026, 10, 1))
    _contact(key, datetime.date(2026, 11, 20))
    _contact(kept, datetime.date(2026, 9, 5))
    found = my_accounts(user=manager_user, **_filters())
    assert found["round"] == decided
    rows = [(c.name, c.decision_choice, c.last_contact) for c in found["customers"]]
    assert rows == [
        ("Kept Ltd", "maintenance", datetime.date(2026, 9, 5)),
        ("Key Ltd", "key", datetime.date(2026, 11, 20)),
        ("Silent Ltd", None, None),
    ]
    # Oldest contact first puts the never-contacted account on top; reversed, the latest.
    by_contact = my_accounts(user=manager_user, **_filters(sort="last_contact"))["customers"]
    assert [c.name for c in by_contact] == ["Silent Ltd", "Kept Ltd", "Key Ltd"]
    latest = my_accounts(user=manager_user, **_filters(sort="-last_contact"))["customers"]
    assert [c.name for c in latest] == ["Key Ltd", "Kept Ltd", "Silent Ltd"]
    only_key = my_accounts(user=manager_user, **_filters(decision="key"))["customers"]
    assert [c.name for c in only_key] == ["Key Ltd"]
    undecided = my_accounts(user=manager_user, **_filters(decision="none"))["customers"]
    assert [c.name for c in undecided] == ["Silent Ltd"]
    everyone = my_accounts(user=manager_user, **_filters(scope="all"))["customers"]
    assert everyone.count() == 4


def test_filters_fall_back_to_their_defaults():
    assert _filters(scope="x", decision="bogus", tier="Z", sort="-password", query="  ab ") == {
        "scope": "mine",
        "decision": "",
        "tier": "",
        "sort": "name",
        "q": "ab",
    }


def test_the_page_shows_days_since_and_sorts_by_tier_in_constant_queries(client, manager_user):
    run = MetricsRun.objects.create(
        trigger="command", status="succeeded", started_at=timezone.now()
    )
    today = timezone.localdate()

    def accounts(count, start):
        for n in range(start, start + count):
            customer = CustomerFactory(name=f"Account {n:03d}", owner=manager_user)
            CustomerMetrics.objects.create(
                customer=customer, run=run, rank=n, tier="ABC"[n % 3], stage="steady"
            )
            _contact(customer, today - datetime.timedelta(days=n))

    client.force_login(manager_user)
    url = reverse("planning:my_account_index")
    client.get(url)  # the first request also loads what later ones find cached
    counts = []
    for count, start in ((3, 0), (27, 3)):
        accounts(count, start)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url, {"sort": "tier"}).content.decode()
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert 'data-days-since="0"' in page and 'data-days-since="29"' in page
    assert "(29 days ago)" in page and "(1 day ago)" in page
    assert page.index("tier-A") < page.index("tier-B") < page.index("tier-C")


def test_the_page_shows_each_accounts_plan_progress_and_overdue_actions(client, manager_user):
    from planning.models import AccountPlan, Objective, ObjectiveValue, PlanAction

    today = timezone.localdate()
    planned = CustomerFactory(name="Planned Ltd", owner=manager_user)
    CustomerFactory(name="Unplanned Ltd", owner=manager_user)
    plan = AccountPlan.objects.create(customer=planned, year=today.year)

    def objective(baseline, target, value, status="active"):
        made = Objective.objects.create(
            plan=plan,
            title=f"Grow {target}",
            measure="hand",
            baseline=baseline,
            target=target,
            due_date=today,
            status=status,
        )
        if value is not None:
            ObjectiveValue.objects.create(objective=made, date=today, value=value)
        return made

    grow = objective(100, 200, 150)  # half way: 50%
    objective(10, 0, 8)  # fewer returns, 10 -> 8 of the way to 0: 20%
    objective(0, 10, None)  # no value yet: under way, no progress
    objective(0, 10, 10, status="draft")  # a draft counts for nothing
    PlanAction.objects.create(
        objective=grow, title="Visit", due_date=today - datetime.timedelta(days=1)
    )
    PlanAction.objects.create(objective=grow, title="Call", due_date=today)
    client.force_login(manager_user)
    page = client.get(reverse("planning:my_account_index")).content.decode()
    planned_row = page.split('data-customer="' + planned.code + '"')[1].split("</tr>")[0]
    assert "3 objectives" in planned_row
    assert "<span data-progress>35%</span>" in planned_row  # (50% + 20%) / 2
    assert 'data-overdue="1"' in planned_row and "1 action overdue" in planned_row
    assert "No plan" in page.split("Unplanned Ltd")[1].split("</tr>")[0]


def test_the_page_shows_cadence_overdue_and_nps_from_the_decided_box(client, manager_user):
    from planning.models import AccountCoverage, NpsAnswer

    today = timezone.localdate()
    decided = ScoringRoundFactory(decided=True, date=datetime.date(2026, 6, 1))
    silent = CustomerFactory(name="Silent Key", owner=manager_user)
    seen = CustomerFactory(name="Seen Key", owner=manager_user)
    own = CustomerFactory(name="Own cadence", owner=manager_user)
    for customer in (silent, seen, own):
        Decision.objects.create(round=decided, customer=customer, choice="key", coverage="farmer")
    _contact(silent, today - datetime.timedelta(days=15))  # Key: every 14 days, so overdue
    _contact(seen, today - datetime.timedelta(days=14))  # the last day still in time
    _contact(own, today - datetime.timedelta(days=15))
    AccountCoverage.objects.create(customer=own, cadence_days=30, reason="Visits monthly")
    for n, score in enumerate([9, 10, 10, 7, 2]):  # 3 promoters, 1 detractor of 5: +40
        NpsAnswer.objects.create(customer=seen, respondent=f"R{n}", answered_on=today, score=score)
    client.force_login(manager_user)
    page = client.get(reverse("planning:my_account_index")).content.decode()

    def row(customer):
        return page.split(f'data-customer="{customer.code}"')[1].split("</tr>")[0]

    assert 'data-cadence="14"' in row(silent) and "data-contact-overdue" in row(silent)
    assert 'data-cadence="14"' in row(seen) and "data-contact-overdue" not in row(seen)
    assert 'data-cadence="30"' in row(own) and "data-contact-overdue" not in row(own)
    assert '<strong class="nps-score">40</strong>' in row(seen)
