"""The boxes' coverage and each decided account's: inherited from its box unless overridden."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps

from planning.models import AccountCoverage, BoxCoverage
from planning.selectors import account_coverage_get, account_coverage_rows, box_coverage_all
from planning.services import box_coverage_defaults_ensure
from tests.factories import CustomerFactory, ScoringRoundFactory, UserFactory
from tests.planning.coverage import decide

pytestmark = pytest.mark.django_db


def _values(coverage):
    return (
        coverage.mode,
        coverage.cadence_days,
        coverage.budget_person_days,
        coverage.norm_person_days,
    )


def test_the_migration_gives_the_four_boxes_their_defaults():
    # A browser test's flush may have emptied the table: run the migration's step again.
    BoxCoverage.objects.all().delete()
    migration = importlib.import_module("planning.migrations.0004_coverage")
    migration.box_defaults_create(django_apps, None)
    stored = {row.box: _values(row) for row in BoxCoverage.objects.all()}
    assert stored == {
        "key": ("dedicated_team", 14, Decimal("400.0"), Decimal("20.0")),
        "key_development": ("selective", 30, Decimal("300.0"), Decimal("10.0")),
        "maintenance": ("efficient", 90, Decimal("200.0"), Decimal("3.0")),
        "opportunistic": ("milk_round", 180, Decimal("100.0"), Decimal("1.0")),
    }


def test_after_a_flush_the_missing_boxes_get_their_defaults_and_set_ones_stay():
    BoxCoverage.objects.filter(box="maintenance").delete()
    BoxCoverage.objects.filter(box="key").update(cadence_days=7)
    box_coverage_defaults_ensure()
    stored = dict(BoxCoverage.objects.values_list("box", "cadence_days"))
    assert stored == {"key": 7, "key_development": 30, "maintenance": 90, "opportunistic": 180}


def test_a_box_without_its_row_reads_its_defaults():
    BoxCoverage.objects.filter(box="maintenance").delete()
    BoxCoverage.objects.filter(box="key").update(cadence_days=7)
    boxes = box_coverage_all()
    assert list(boxes) == ["key", "key_development", "maintenance", "opportunistic"]
    assert boxes["key"].cadence_days == 7
    assert boxes["maintenance"].pk is None
    assert _values(boxes["maintenance"]) == ("efficient", 90, Decimal("200.0"), Decimal("3.0"))


def test_each_decided_account_inherits_its_boxs_mode_and_cadence():
    owner = UserFactory()
    key, maintenance, dropped = (
        CustomerFactory(name="A key", owner=owner),
        CustomerFactory(name="B maintained"),
        CustomerFactory(name="C dropped"),
    )
    CustomerFactory(name="D undecided")
    decide({key: "key", maintenance: "maintenance", dropped: "deselected"})
    rows = account_coverage_rows()
    assert [(r.customer, r.box, r.mode, r.cadence_days) for r in rows] == [
        (key, "key", "dedicated_team", 14),
        (maintenance, "maintenance", "efficient", 90),
    ]
    assert rows[0].owner == owner
    assert (rows[0].mode_overridden, rows[0].cadence_overridden, rows[0].person_days) == (
        False,
        False,
        Decimal(0),
    )


def test_an_override_replaces_only_what_it_sets_and_its_owner_covers_the_account():
    account_owner, farmer = UserFactory(), UserFactory()
    cadence_only, mode_only = CustomerFactory(owner=account_owner), CustomerFactory()
    decide({cadence_only: "key", mode_only: "opportunistic"})
    AccountCoverage.objects.create(
        customer=cadence_only, cadence_days=7, reason="Tender", person_days=25, owner=farmer
    )
    AccountCoverage.objects.create(customer=mode_only, mode="efficient", reason="Big buyer")
    cadence_row = account_coverage_get(customer=cadence_only)
    assert (cadence_row.mode, cadence_row.cadence_days) == ("dedicated_team", 7)
    assert (cadence_row.mode_overridden, cadence_row.cadence_overridden) == (False, True)
    assert (cadence_row.person_days, cadence_row.owner, cadence_row.reason) == (
        25,
        farmer,
        "Tender",
    )
    mode_row = account_coverage_get(customer=mode_only)
    assert (mode_row.mode, mode_row.cadence_days, mode_row.mode_overridden) == (
        "efficient",
        180,
        True,
    )
    assert [row.customer for row in account_coverage_rows(owner=farmer)] == [cadence_only]
    assert account_coverage_rows(owner=account_owner) == []


def test_only_the_latest_decided_round_counts():
    moved, older_only = CustomerFactory(), CustomerFactory()
    decide({moved: "opportunistic", older_only: "key"}, date=datetime.date(2025, 1, 10))
    decide({moved: "key"}, date=datetime.date(2026, 1, 10))
    ScoringRoundFactory(
        date=datetime.date(2026, 6, 1)
    )  # in scoring: its decisions do not stand yet
    assert [(r.customer, r.box) for r in account_coverage_rows()] == [(moved, "key")]
    assert account_coverage_get(customer=older_only).box is None


def test_the_rows_take_a_constant_number_of_queries(django_assert_num_queries):
    customers = [CustomerFactory(owner=UserFactory()) for _ in range(6)]
    decide(dict.fromkeys(customers, "key"))
    for customer in customers[:3]:
        AccountCoverage.objects.create(customer=customer, person_days=5, owner=UserFactory())
    # The latest decided round, its decisions, the boxes, the customers, the coverage.
    with django_assert_num_queries(5):
        assert len(account_coverage_rows()) == 6
