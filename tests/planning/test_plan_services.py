import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.services import metrics_recompute
from planning.models import Objective, ObjectiveValue
from planning.selectors import plan_objective_rows
from planning.services import (
    action_create,
    objective_create,
    objective_delete,
    objective_value_record,
    objectives_track,
    plan_start,
    plan_texts_save,
)
from tests.factories import CustomerFactory, LedgerLineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(manager_user):
    return CustomerFactory(code="K1", name="Key One", owner=manager_user)


def _objective(plan, **fields):
    values = {
        "title": "Grow revenue",
        "measure": "Revenue over the metrics period",
        "baseline": Decimal("1000"),
        "target": Decimal("2000"),
        "due_date": dt.date(2026, 12, 31),
        "status": Objective.Status.ACTIVE,
    } | fields
    return objective_create(plan=plan, user=plan.created_by, **values)


def test_starting_from_last_years_plan_copies_the_texts_and_the_objectives_as_drafts(
    account, manager_user
):
    last = plan_start(customer=account, year=2025, user=manager_user)
    plan_texts_save(
        plan=last,
        user=manager_user,
        customer_goals="Fewer suppliers",
        our_goals="Sole supplier of coatings",
        strengths="Delivery",
        weaknesses="Price",
        opportunities="New plant",
        threats="Competitor X",
        relationship_stage="high_commitment",
    )
    active = _objective(last, metric="revenue", due_date=dt.date(2024, 2, 29))
    done = _objective(last, title="Second contact", status=Objective.Status.DONE, metric="")
    objective_value_record(
        objective=done, user=manager_user, date=dt.date(2025, 6, 1), value=Decimal("1500")
    )
    action_create(objective=active, user=manager_user, title="Visit", due_date=dt.date(2025, 3, 1))

    plan = plan_start(customer=account, year=2026, user=manager_user, from_last_year=True)

    assert plan.copied_from == last
    assert (plan.customer_goals, plan.our_goals, plan.threats) == (
        "Fewer suppliers",
        "Sole supplier of coatings",
        "Competitor X",
    )
    assert plan.relationship_stage == ""  # judged afresh
    copies = list(plan.objectives.order_by("title"))
    assert [(o.title, o.status, o.metric, o.baseline, o.target) for o in copies] == [
        ("Grow revenue", "draft", "revenue", Decimal("1000"), Decimal("2000")),
        ("Second contact", "draft", "", Decimal("1000"), Decimal("2000")),
    ]
    # Due a year later (29 February to 28 February); no values or actions carried.
    assert copies[0].due_date == dt.date(2025, 2, 28)
    assert not ObjectiveValue.objects.filter(objective__plan=plan).exists()
    assert not plan.objectives.filter(actions__isnull=False).exists()
    # Last year's stays as it was.
    assert set(last.objectives.values_list("status", flat=True)) == {"active", "done"}


def test_a_year_has_one_plan_and_starting_from_a_missing_year_is_refused(account, manager_user):
    plan_start(customer=account, year=2026, user=manager_user)
    with pytest.raises(ValidationError):
        plan_start(customer=account, year=2026, user=manager_user)
    with pytest.raises(ValidationError):
        plan_start(customer=account, year=2028, user=manager_user, from_last_year=True)


def test_a_manager_may_not_plan_another_managers_account(account, manager_user, team_user):
    stranger = UserFactory(username="other-manager", role="sales_manager")
    with pytest.raises(PermissionDenied):
        plan_start(customer=account, year=2026, user=stranger)
    plan = plan_start(customer=account, year=2026, user=team_user)  # the team plans any
    with pytest.raises(PermissionDenied):
        plan_texts_save(plan=plan, user=stranger, our_goals="x")


def test_target_equal_to_the_baseline_is_refused(account, manager_user):
    plan = plan_start(customer=account, year=2026, user=manager_user)
    with pytest.raises(ValidationError):
        _objective(plan, target=Decimal("1000"))


def test_a_bound_objective_takes_no_typed_value(account, manager_user):
    plan = plan_start(customer=account, year=2026, user=manager_user)
    objective = _objective(plan, metric="revenue")
    with pytest.raises(ValidationError):
        objective_value_record(
            objective=objective, user=manager_user, date=dt.date(2026, 5, 1), value=Decimal(1)
        )


def test_a_typed_value_replaces_that_days_value(account, manager_user):
    plan = plan_start(customer=account, year=2026, user=manager_user)
    objective = _objective(plan)
    for value in ("1200", "1300"):
        objective_value_record(
            objective=objective, user=manager_user, date=dt.date(2026, 5, 1), value=Decimal(value)
        )
    assert list(objective.values.values_list("value", flat=True)) == [Decimal("1300")]


def test_the_recompute_records_each_bound_active_objectives_value(
    account, manager_user, django_capture_on_commit_callbacks
):
    for day, amount, code in [
        (dt.date(2026, 3, 2), "1200.00", "P001"),
        (dt.date(2026, 4, 7), "300.00", "P002"),
        (dt.date(2026, 4, 9), "100.00", "P002"),
    ]:
        LedgerLineFactory(
            customer=account, invoice_date=day, amount=Decimal(amount), product_code=code
        )
    plan = plan_start(customer=account, year=2026, user=manager_user)
    revenue = _objective(plan, metric="revenue", baseline=Decimal("1000"), target=Decimal("2000"))
    groups = _objective(plan, metric="product_groups", baseline=Decimal("1"), target=Decimal("5"))
    months = _objective(plan, metric="months_active", baseline=Decimal("0"), target=Decimal("12"))
    draft = _objective(plan, metric="revenue", status=Objective.Status.DRAFT)
    typed = _objective(plan, metric="")

    with django_capture_on_commit_callbacks(execute=True):
        run = metrics_recompute()

    assert run.period_end == dt.date(2026, 4, 9)
    values = {
        v.objective_id: (v.date, v.value, v.recorded_by_id) for v in ObjectiveValue.objects.all()
    }
    assert values == {
        revenue.pk: (dt.date(2026, 4, 9), Decimal("1600.00"), None),
        groups.pk: (dt.date(2026, 4, 9), Decimal("2.00"), None),
        months.pk: (dt.date(2026, 4, 9), Decimal("2.00"), None),
    }
    assert draft.pk not in values and typed.pk not in values
    assert objectives_track(run=run) == 0  # the same run again changes nothing
    # Progress from the baseline: (1600 - 1000) / (2000 - 1000).
    rows = {
        row.objective.pk: row for row in plan_objective_rows(plan=plan, today=dt.date(2026, 5, 1))
    }
    assert rows[revenue.pk].progress == Decimal("0.6")
    assert rows[groups.pk].progress == Decimal("0.25")

    # A second run over the same ledger leaves one value a day; a new line moves it on.
    LedgerLineFactory(customer=account, invoice_date=dt.date(2026, 5, 4), amount=Decimal("400"))
    with django_capture_on_commit_callbacks(execute=True):
        metrics_recompute()
        metrics_recompute()
    assert list(revenue.values.values_list("date", "value")) == [
        (dt.date(2026, 4, 9), Decimal("1600.00")),
        (dt.date(2026, 5, 4), Decimal("2000.00")),
    ]


def test_every_change_to_a_plan_is_audited(account, manager_user):
    plan = plan_start(customer=account, year=2026, user=manager_user)
    objective = _objective(plan)
    action_create(
        objective=objective, user=manager_user, title="Visit", due_date=dt.date(2026, 6, 1)
    )
    objective_value_record(
        objective=objective, user=manager_user, date=dt.date(2026, 5, 1), value=Decimal(5)
    )
    plan_texts_save(plan=plan, user=manager_user, threats="Competitor X")
    models = set(LogEntry.objects.values_list("content_type__model", flat=True))
    assert {"accountplan", "objective", "planaction", "objectivevalue"} <= models
    assert LogEntry.objects.filter(
        content_type__model="accountplan", action=LogEntry.Action.UPDATE
    ).exists()


def test_only_a_draft_objective_can_be_deleted(account, manager_user):
    plan = plan_start(customer=account, year=2026, user=manager_user)
    active = _objective(plan)
    draft = _objective(plan, title="Maybe", status=Objective.Status.DRAFT)
    with pytest.raises(ValidationError):
        objective_delete(objective=active, user=manager_user)
    objective_delete(objective=draft, user=manager_user)
    assert list(plan.objectives.values_list("title", flat=True)) == ["Grow revenue"]
    assert LogEntry.objects.filter(
        content_type__model="objective", action=LogEntry.Action.DELETE
    ).exists()
