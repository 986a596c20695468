import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import CustomerMetrics, Stage
from planning.models import PlanAction, RelationshipStage
from planning.selectors import (
    objective_progress,
    product_group_counts,
    relationship_stage_suggested,
)
from tests.factories import CustomerFactory, LedgerLineFactory


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "progress"),
    [
        ("100", "200", "150", "0.5"),  # half way
        ("100", "200", "100", "0"),  # at the baseline
        ("100", "200", "250", "1.5"),  # past the target
        ("100", "200", "75", "-0.25"),  # the wrong way
        # Target below the baseline: from 10 returns down to 4; 7 is half way, 2 beyond.
        ("10", "4", "7", "0.5"),
        # Thirds to Decimal's precision: (2 - 10) / (4 - 10), (12 - 10) / (4 - 10), 1 / 3.
        ("10", "4", "2", Decimal(8) / Decimal(6)),
        ("10", "4", "12", Decimal(-2) / Decimal(6)),
        ("0", "3", "1", Decimal(1) / Decimal(3)),
    ],
)
def test_progress_is_actual_against_target_from_the_baseline(baseline, target, actual, progress):
    result = objective_progress(
        baseline=Decimal(baseline), target=Decimal(target), actual=Decimal(actual)
    )
    assert isinstance(result, Decimal)
    assert result == Decimal(progress)


def test_progress_without_a_value_is_none():
    assert objective_progress(baseline=Decimal(1), target=Decimal(2), actual=None) is None


def _action(due: dt.date, status: str) -> PlanAction:
    return PlanAction(title="Call", due_date=due, status=status)


@pytest.mark.parametrize(
    ("due", "status", "overdue"),
    [
        (dt.date(2026, 5, 9), "open", True),  # due yesterday
        (dt.date(2026, 5, 10), "open", False),  # due today: not yet overdue
        (dt.date(2026, 5, 11), "in_progress", False),
        (dt.date(2026, 5, 9), "in_progress", True),
        (dt.date(2026, 5, 1), "done", False),  # done is never overdue
    ],
)
def test_an_action_is_overdue_from_the_day_after_its_due_date_until_done(due, status, overdue):
    assert _action(due, status).is_overdue(today=dt.date(2026, 5, 10)) is overdue


def _metrics(**fields) -> CustomerMetrics:
    values = {"stage": Stage.STEADY, "loyal": False, "large_buyer": False} | fields
    return CustomerMetrics(**values)


@pytest.mark.parametrize(
    ("fields", "stage"),
    [
        ({"stage": Stage.NONE}, RelationshipStage.FIRST_APPROACH),
        ({"stage": Stage.LAPSED, "loyal": True}, RelationshipStage.FIRST_APPROACH),
        ({"stage": Stage.NEW, "large_buyer": True}, RelationshipStage.FIRST_APPROACH),
        ({"stage": Stage.GROWING}, RelationshipStage.CLOSER),
        ({"stage": Stage.STEADY, "loyal": True}, RelationshipStage.HIGH_COMMITMENT),
        ({"stage": Stage.GROWING, "large_buyer": True}, RelationshipStage.HIGH_COMMITMENT),
        ({"stage": Stage.STEADY, "loyal": True, "large_buyer": True}, RelationshipStage.HIGH_TRUST),
        (
            {"stage": Stage.DECLINING, "loyal": True, "large_buyer": True},
            RelationshipStage.HIGH_COMMITMENT,
        ),
    ],
)
def test_the_ledger_suggests_a_relationship_stage_from_the_recompute(fields, stage):
    assert relationship_stage_suggested(metrics=_metrics(**fields)) == stage


def test_no_suggestion_before_any_recompute():
    assert relationship_stage_suggested(metrics=None) is None


@pytest.mark.django_db
def test_product_groups_are_the_distinct_codes_bought_in_the_period():
    customer, other = CustomerFactory(), CustomerFactory()
    day = dt.date(2026, 3, 5)
    for code, amount, date in [
        ("P001", "10", day),
        ("P001", "20", day),
        ("P002", "5", day),
        ("", "5", day),  # no code
        ("P003", "-5", day),  # a return
        ("P004", "5", dt.date(2025, 1, 1)),  # before the period
    ]:
        LedgerLineFactory(
            customer=customer, product_code=code, amount=Decimal(amount), invoice_date=date
        )
    LedgerLineFactory(customer=other, product_code="P009", invoice_date=day)
    counts = product_group_counts(
        customer_ids=[customer.pk, other.pk], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert counts == {customer.pk: 2, other.pk: 1}
