"""Writing coverage: the boxes' defaults (admins) and an account's own (its owner, the team)."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from kamapp.roles import Role
from planning.models import AccountCoverage, BoxCoverage
from planning.services import account_coverage_set, box_coverages_set
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY = {
    "mode": "selective",
    "cadence_days": 7,
    "budget_person_days": Decimal("500"),
    "norm_person_days": Decimal("25"),
}


def test_an_admin_sets_a_boxs_coverage(admin_user):
    box_coverages_set(user=admin_user, values={"key": KEY})
    key = BoxCoverage.objects.get(box="key")
    assert (key.mode, key.cadence_days, key.budget_person_days) == ("selective", 7, 500)


def test_a_missing_box_row_is_created_when_set(admin_user):
    BoxCoverage.objects.filter(box="key").delete()
    box_coverages_set(user=admin_user, values={"key": KEY})
    assert BoxCoverage.objects.get(box="key").norm_person_days == 25


@pytest.mark.parametrize("role", [Role.SELECTION_TEAM, Role.SALES_MANAGER])
def test_only_admins_set_the_boxes(role):
    with pytest.raises(PermissionDenied):
        box_coverages_set(user=UserFactory(role=role), values={"key": KEY})
    assert BoxCoverage.objects.get(box="key").cadence_days == 14


def test_a_cadence_out_of_range_is_refused_and_nothing_is_saved(admin_user):
    with pytest.raises(ValidationError) as refused:
        box_coverages_set(
            user=admin_user,
            values={"key": KEY, "maintenance": {**KEY, "cadence_days": 0}},
        )
    assert "cadence_days" in refused.value.message_dict
    assert BoxCoverage.objects.get(box="key").cadence_days == 14


def test_a_sales_manager_sets_the_coverage_of_an_account_they_own(manager_user):
    mine = CustomerFactory(owner=manager_user)
    account_coverage_set(
        user=manager_user, customer=mine, cadence_days=7, reason=" Tender ", person_days=Decimal(12)
    )
    stored = AccountCoverage.objects.get(customer=mine)
    assert (stored.cadence_days, stored.reason, stored.person_days, stored.mode) == (
        7,
        "Tender",
        12,
        "",
    )
    account_coverage_set(user=manager_user, customer=mine, person_days=Decimal(3))
    stored.refresh_from_db()
    assert (stored.cadence_days, stored.person_days) == (None, 3)


def test_a_sales_manager_cannot_set_another_owners_account(manager_user):
    theirs = CustomerFactory(owner=UserFactory())
    with pytest.raises(PermissionDenied):
        account_coverage_set(user=manager_user, customer=theirs, person_days=Decimal(5))
    assert not AccountCoverage.objects.exists()


def test_the_selection_team_sets_any_account(team_user):
    account_coverage_set(
        user=team_user, customer=CustomerFactory(), mode="efficient", reason="Margin"
    )
    assert AccountCoverage.objects.get().mode == "efficient"


@pytest.mark.parametrize("override", [{"mode": "efficient"}, {"cadence_days": 30}])
def test_an_override_needs_a_reason(team_user, override):
    with pytest.raises(ValidationError) as refused:
        account_coverage_set(user=team_user, customer=CustomerFactory(), reason="  ", **override)
    assert refused.value.message_dict == {
        "reason": ["Say why this account is covered differently from its box."]
    }


def test_an_accounts_coverage_is_in_the_audit_trail(team_user):
    customer = CustomerFactory()
    coverage = account_coverage_set(user=team_user, customer=customer, person_days=Decimal(4))
    account_coverage_set(user=team_user, customer=customer, person_days=Decimal(6))
    entries = LogEntry.objects.get_for_model(AccountCoverage).filter(object_id=coverage.pk)
    assert entries.count() == 2
    assert entries.order_by("pk").last().changes["person_days"] == ["4.0", "6.0"]
    assert entries.first().additional_data == {"customer": customer.pk}
