"""The nightly path for real: a Celery worker process takes the recompute from Redis."""

import os

import pytest

from accounts.models import CustomerMetrics, MetricsRun
from accounts.tasks import metrics_recompute_task
from tests.accounts.ledger import buy
from tests.factories import CustomerFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (Redis broker)"),
]


def test_worker_recomputes_the_tiers_sent_through_the_broker(worker_queue):
    big, small, idle = CustomerFactory(), CustomerFactory(), CustomerFactory()
    buy(big, 900)
    buy(small, 100)  # starts at 90%: tier B

    result = metrics_recompute_task.apply_async(kwargs={"trigger": "schedule"}, queue=worker_queue)
    run_id = result.get(timeout=120)

    run = MetricsRun.objects.get(pk=run_id)
    assert (run.status, run.trigger, run.customers) == ("succeeded", "schedule", 3)
    tiers = dict(CustomerMetrics.objects.values_list("customer_id", "tier"))
    assert tiers == {big.pk: "A", small.pk: "B", idle.pk: "C"}
