"""The recompute service: what it stores, the lock, history, failures, the task and schedule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts import services
from accounts.models import CompanySettings, CustomerMetrics, MetricsRun, TierSnapshot
from accounts.services import MetricsRunBusy, metrics_recompute, metrics_recompute_request
from accounts.signals import metrics_recomputed
from accounts.tasks import metrics_recompute_task
from kamapp.celery import app as celery_app
from tests.accounts.ledger import DAY, buy
from tests.factories import CustomerFactory
from tests.fixtures.schedules import migration_step_run

NIGHTLY_MIGRATION = "accounts.migrations.0006_nightly_recompute_schedule"

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_customers():
    """Revenue 700, 200 and 100 in the period; a fourth customer with no ledger."""
    big, mid, small, idle = (CustomerFactory(code=f"K{n}") for n in range(1, 5))
    buy(big, 500)
    buy(big, 200, date=dt.date(2026, 5, 2), cost=Decimal("150"))
    buy(mid, 200, due_date=dt.date(2026, 6, 1), paid_date=dt.date(2026, 6, 21))
    buy(small, 100)
    return big, mid, small, idle


def test_recompute_stores_one_row_per_customer_with_hand_computed_values(three_customers):
    big, mid, small, idle = three_customers
    run = metrics_recompute()
    metrics = {m.customer_id: m for m in CustomerMetrics.objects.all()}
    assert len(metrics) == 4
    assert metrics[big.pk].revenue == Decimal("700.00")
    assert metrics[big.pk].share == pytest.approx(0.7)
    assert metrics[big.pk].tier == "A"
    assert metrics[big.pk].invoices == 2
    assert metrics[big.pk].months_active == 2
    assert metrics[big.pk].first_purchase == dt.date(2026, 5, 2)
    # mid starts at 70%, under the A cut-off; small starts at 90%, under the B cut-off.
    assert metrics[mid.pk].cumulative_share == pytest.approx(0.9)
    assert metrics[mid.pk].tier == "A"
    assert metrics[mid.pk].avg_days_late == 20
    assert metrics[small.pk].tier == "B"
    assert metrics[small.pk].rank == 3
    assert (metrics[idle.pk].revenue, metrics[idle.pk].tier) == (0, "C")
    assert metrics[idle.pk].stage == "none"
    assert run.status == MetricsRun.Status.SUCCEEDED
    assert run.customers == 4
    assert run.period_end == DAY
    assert run.duration > 0


def test_margin_of_a_line_without_cost_counts_nothing(three_customers):
    big, *_ = three_customers
    metrics_recompute()
    assert CustomerMetrics.objects.get(customer=big).margin == Decimal("50.00")


def test_margin_measure_from_the_settings_ranks_by_margin(three_customers):
    big, _, small, _ = three_customers
    buy(small, 10, cost=Decimal("0"))  # margin 10; the others have no cost or less
    CompanySettings.objects.update_or_create(pk=1, defaults={"measure": "margin"})
    run = metrics_recompute()
    ranked = list(CustomerMetrics.objects.order_by("rank").values_list("customer_id", "value"))
    assert ranked[0] == (big.pk, Decimal("50.00"))
    assert ranked[1] == (small.pk, Decimal("10.00"))
    assert run.measure == "margin"


def test_each_run_keeps_a_snapshot_of_every_customer(three_customers):
    first = metrics_recompute()
    second = metrics_recompute()
    assert TierSnapshot.objects.filter(run=first).count() == 4
    assert TierSnapshot.objects.filter(run=second).count() == 4
    assert CustomerMetrics.objects.count() == 4
    assert set(CustomerMetrics.objects.values_list("run_id", flat=True)) == {second.pk}


def test_run_counts_the_customers_that_changed_tier(three_customers):
    *_, idle = three_customers
    metrics_recompute()
    buy(idle, 5000)  # 5000, 700, 200, 100: the others now start at 83%, 95% and 97%
    run = metrics_recompute()
    assert run.tier_moves == {"C>A": 1, "A>B": 1, "A>C": 1, "B>C": 1}
    assert run.tier_changes == 4


def test_a_running_run_holds_the_lock(three_customers):
    MetricsRun.objects.create(trigger=MetricsRun.Trigger.SCHEDULE, started_at=timezone.now())
    with pytest.raises(MetricsRunBusy):
        metrics_recompute()
    assert not CustomerMetrics.objects.exists()
    assert MetricsRun.objects.count() == 1


def test_a_run_abandoned_for_the_stale_time_no_longer_holds_the_lock(three_customers, settings):
    stale = MetricsRun.objects.create(
        trigger=MetricsRun.Trigger.SCHEDULE,
        started_at=timezone.now() - dt.timedelta(minutes=settings.JOB_STALE_MINUTES + 1),
    )
    run = metrics_recompute()
    stale.refresh_from_db()
    assert stale.status == MetricsRun.Status.FAILED
    assert run.status == MetricsRun.Status.SUCCEEDED


def test_the_lock_is_released_after_a_run(three_customers):
    metrics_recompute()
    metrics_recompute()
    assert not MetricsRun.objects.filter(status=MetricsRun.Status.RUNNING).exists()


def test_a_failed_run_leaves_the_previous_results(three_customers, monkeypatch):
    big, *_ = three_customers
    good = metrics_recompute()
    buy(big, 10_000)
    real_insert = services._bulk_insert

    def failing_insert(*, table, frame):
        if table == TierSnapshot._meta.db_table:
            raise RuntimeError("disk full")
        real_insert(table=table, frame=frame)

    monkeypatch.setattr(services, "_bulk_insert", failing_insert)
    with pytest.raises(RuntimeError):
        metrics_recompute()
    failed = MetricsRun.objects.latest()
    assert failed.status == MetricsRun.Status.FAILED
    assert "disk full" in failed.error
    assert CustomerMetrics.objects.get(customer=big).revenue == Decimal("700.00")
    assert set(CustomerMetrics.objects.values_list("run_id", flat=True)) == {good.pk}
    assert not TierSnapshot.objects.filter(run=failed).exists()
    # The failed run released the lock.
    monkeypatch.setattr(services, "_bulk_insert", real_insert)
    assert metrics_recompute().status == MetricsRun.Status.SUCCEEDED


def test_recompute_runs_the_same_number_of_queries_for_3_or_30_customers():
    def queries_for(count: int) -> int:
        for n in range(count):
            buy(CustomerFactory(), 100 + n)
        with CaptureQueriesContext(connection) as captured:
            metrics_recompute()
        return len(captured)

    CompanySettings.load()  # created on first use: not part of the recompute
    assert queries_for(3) == queries_for(27)


def test_request_queues_the_task_which_records_who_started_it(
    three_customers, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        metrics_recompute_request(trigger=MetricsRun.Trigger.MANUAL, started_by_id=admin_user.pk)
        assert not MetricsRun.objects.exists()  # queued, not run, until the commit
    run = MetricsRun.objects.get()
    assert (run.trigger, run.started_by, run.status) == ("manual", admin_user, "succeeded")


def test_task_returns_none_when_another_run_holds_the_lock(three_customers):
    MetricsRun.objects.create(trigger=MetricsRun.Trigger.SCHEDULE, started_at=timezone.now())
    assert metrics_recompute_task.delay(trigger="schedule").get() is None


def test_nightly_schedule_is_created_by_a_migration():
    migration_step_run(NIGHTLY_MIGRATION, "create_schedule")
    task = PeriodicTask.objects.get(task="accounts.tasks.metrics_recompute_task")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour) == ("0", "2")
    assert task.kwargs == '{"trigger": "schedule"}'


def test_the_scheduled_task_name_is_a_registered_task():
    migration_step_run(NIGHTLY_MIGRATION, "create_schedule")
    task = PeriodicTask.objects.get(name="Nightly metrics and Pareto recompute")
    assert celery_app.tasks[task.task].name == metrics_recompute_task.name


def test_a_committed_recompute_sends_metrics_recomputed_with_its_run(
    three_customers, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, *, run, **kwargs):
        received.append((sender, run.pk, run.status))

    metrics_recomputed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = metrics_recompute()
            assert received == []  # not before the results are committed
    finally:
        metrics_recomputed.disconnect(receiver)
    assert received == [(MetricsRun, run.pk, MetricsRun.Status.SUCCEEDED)]


def test_a_failed_recompute_sends_no_signal(
    three_customers, monkeypatch, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, **kwargs):
        received.append(sender)

    def failing_insert(*, table, frame):
        raise OSError("disk full")

    monkeypatch.setattr(services, "_bulk_insert", failing_insert)
    metrics_recomputed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(OSError):
            metrics_recompute()
    finally:
        metrics_recomputed.disconnect(receiver)
    assert received == []


def test_recompute_on_the_demo_ledger_spreads_customers_over_the_three_tiers(seeded):
    run = metrics_recompute()
    tiers = set(CustomerMetrics.objects.values_list("tier", flat=True))
    assert tiers == {"A", "B", "C"}
    assert run.customers == 300


def test_a_run_that_computes_the_same_values_keeps_their_change_time(three_customers):
    big, mid, small, _idle = three_customers

    def change_times():
        return dict(CustomerMetrics.objects.values_list("customer_id", "changed_at"))

    metrics_recompute()
    first = change_times()
    assert all(first.values()) and len(first) == 4
    metrics_recompute()
    assert change_times() == first  # the same ledger: the same values, the same times
    buy(small, 5)  # small's revenue moves, and with the total every share
    metrics_recompute()
    second = change_times()
    assert all(second[customer.pk] > first[customer.pk] for customer in (big, mid, small))
    newcomer = CustomerFactory(code="K5")  # no purchases: nobody else's values move
    metrics_recompute()
    third = change_times()
    assert third[newcomer.pk] > second[small.pk]
    assert {pk: third[pk] for pk in second} == second
