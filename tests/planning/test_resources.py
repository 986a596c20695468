"""The resources page's figures: sums per box and per owner, and the ±25% service rule."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from planning.models import AccountCoverage
from planning.selectors import contact_counts, resources_summary, service_level
from tests.factories import CustomerFactory, UserFactory
from tests.planning.coverage import decide, log_contact

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("actual", "level"),
    [
        ("25.1", "over"),
        ("25", ""),  # 20 + 25%: the band's edge is within
        ("15", ""),  # 20 − 25%
        ("14.9", "under"),
        ("0", "under"),
    ],
)
def test_service_level_is_over_or_under_outside_a_quarter_of_the_norm(actual, level):
    assert service_level(actual=Decimal(actual), norm=Decimal(20)) == level


def test_contacts_count_the_365_days_up_to_today():
    customer = CustomerFactory()
    log_contact(customer, TODAY)
    log_contact(customer, TODAY - datetime.timedelta(days=364))  # the window's first day
    log_contact(customer, TODAY - datetime.timedelta(days=365))  # a day before it
    log_contact(customer, TODAY + datetime.timedelta(days=1))  # typed ahead
    assert contact_counts(customer_ids=[customer.pk], today=TODAY) == {customer.pk: 2}


@pytest.fixture
def planned():
    """Two owners over three boxes, allocations and contacts chosen by hand."""
    dewi, budi = UserFactory(username="dewi"), UserFactory(username="budi")
    big = CustomerFactory(name="Big", owner=dewi)  # key: norm 20, cadence 14
    lean = CustomerFactory(name="Lean", owner=dewi)  # key
    grow = CustomerFactory(name="Grow", owner=budi)  # key development: norm 10, cadence 30
    keep = CustomerFactory(name="Keep", owner=None)  # maintenance: norm 3, cadence 90
    decide({big: "key", lean: "key", grow: "key_development", keep: "maintenance"})
    AccountCoverage.objects.create(customer=big, person_days=Decimal("26"))  # over 25
    AccountCoverage.objects.create(customer=lean, person_days=Decimal("15"), owner=budi)
    AccountCoverage.objects.create(customer=grow, person_days=Decimal("10"))
    # 4 contacts × cadence 90 = 360 ≥ 365 × 0.75: within; 26 × 14 = 364: within.
    for days in range(4):
        log_contact(keep, TODAY - datetime.timedelta(days=days * 80))
    for days in range(26):
        log_contact(lean, TODAY - datetime.timedelta(days=days * 14))
    # 16 × 30 = 480 > 365 × 1.25 = 456.25: over; big has none: under.
    for days in range(16):
        log_contact(grow, TODAY - datetime.timedelta(days=days * 20))
    return {"dewi": dewi, "budi": budi, "big": big, "lean": lean, "grow": grow, "keep": keep}


def test_allocations_are_summed_per_box_against_its_budget(planned):
    boxes = {row.coverage.box: row for row in resources_summary(today=TODAY).boxes}
    assert [(box, row.accounts, row.allocated, row.remaining) for box, row in boxes.items()] == [
        ("key", 2, Decimal("41"), Decimal("359.0")),
        ("key_development", 1, Decimal("10"), Decimal("290.0")),
        ("maintenance", 1, Decimal("0"), Decimal("200.0")),
        ("opportunistic", 0, Decimal("0"), Decimal("100.0")),
    ]
    assert not any(row.over_budget for row in boxes.values())


def test_allocations_are_summed_per_owner_and_box(planned):
    owners = resources_summary(today=TODAY).owners
    assert [(o.owner, o.accounts, o.allocated, list(o.per_box.values())) for o in owners] == [
        (planned["budi"], 2, Decimal("25"), [Decimal("15"), Decimal("10"), 0, 0]),
        (planned["dewi"], 1, Decimal("26"), [Decimal("26"), 0, 0, 0]),
        (None, 1, Decimal("0"), [0, 0, 0, 0]),
    ]


def test_accounts_outside_the_band_are_flagged_by_allocation_and_by_contacts(planned):
    levels = {
        account.row.customer.name: (
            account.allocation_level,
            account.contacts,
            account.contact_level,
        )
        for account in resources_summary(today=TODAY).accounts
    }
    assert levels == {
        "Big": ("over", 0, "under"),
        "Lean": ("", 26, ""),
        "Grow": ("", 16, "over"),
        "Keep": ("under", 4, ""),  # no allocation against a norm of 3
    }
    flagged = [a.row.customer.name for a in resources_summary(today=TODAY).flagged]
    assert flagged == ["Big", "Grow", "Keep"]


def test_a_box_over_its_budget_is_flagged(planned):
    AccountCoverage.objects.filter(customer=planned["grow"]).update(person_days=Decimal("301"))
    boxes = {row.coverage.box: row for row in resources_summary(today=TODAY).boxes}
    assert (boxes["key_development"].over_budget, boxes["key_development"].remaining) == (
        True,
        Decimal("-1.0"),
    )


def test_the_resources_page_states_its_rule_in_a_constant_number_of_queries(
    client, planned, django_assert_max_num_queries
):
    client.force_login(UserFactory(role="sales_manager"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("planning:resources"))
    # A later round decides twelve more accounts, each with its own owner and allocation.
    more = [CustomerFactory(owner=UserFactory()) for _ in range(12)]
    decide(
        {**{planned[name]: "key" for name in ("big", "lean")}, **dict.fromkeys(more, "key")},
        date=datetime.date(2026, 3, 1),
    )
    for customer in more:
        AccountCoverage.objects.create(customer=customer, person_days=30, owner=UserFactory())
        log_contact(customer, TODAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("planning:resources")).content.decode()
    # Big and the twelve at 30 against a norm of 20.
    assert page.count('<span class="badge warn">over-serviced</span>') == 13
    assert "more than 25% above its box's norm" in page
    assert "contacts logged in the last 365 days" in page
