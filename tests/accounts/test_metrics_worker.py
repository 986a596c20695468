"""The nightly path for real: a Celery worker process takes the recompute from Redis."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import CustomerMetrics, MetricsRun
from accounts.tasks import metrics_recompute_task
from kamapp.celery import app as celery_app
from tests.accounts.ledger import buy
from tests.factories import CustomerFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (Redis broker)"),
]

BASE_DIR = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    """The URL of the database this test runs on, which differs from the configured one."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database another process can open (PostgreSQL)")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker_queue(transactional_db):
    """A worker process on a queue of its own; tasks run through the broker, not eagerly."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kamapp",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            f"--queues={queue}",
            f"--hostname={queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, False
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager = eager
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


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
