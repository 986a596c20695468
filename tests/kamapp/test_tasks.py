"""Every Celery task retries a transient failure with back-off; a task that fails for good
leaves a record that admins see."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from kamapp.celery import app, sqlite_directories_make
from kamapp.models import TaskFailure
from kamapp.tasks import KamTask

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent
ATTEMPTS = []


@app.task(name="tests.flaky", bind=True)
def flaky(self, failures: int):
    """Fails with a lost database connection `failures` times, then succeeds."""
    ATTEMPTS.append(self.request.retries)
    if len(ATTEMPTS) <= failures:
        raise OperationalError("server closed the connection unexpectedly")
    return "done"


@app.task(name="tests.broken")
def broken():
    raise ValueError("a bug, not a hiccup")


@pytest.fixture(autouse=True)
def _eager_like_a_worker():
    """Run tasks in-process but let failures end as a worker ends them, not as exceptions."""
    ATTEMPTS.clear()
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def test_tasks_use_the_project_base_class():
    assert isinstance(flaky, KamTask)
    assert flaky.retry_backoff and flaky.retry_jitter and flaky.max_retries == 5


def test_transient_failure_is_retried_until_it_succeeds(settings):
    with mock.patch.object(flaky, "retry", wraps=flaky.retry) as retry:
        assert flaky.delay(2).get() == "done"
    assert ATTEMPTS == [0, 1, 2]
    countdowns = [call.kwargs["countdown"] for call in retry.call_args_list]
    assert len(countdowns) == 2
    # Full jitter: each wait is at most 2 s, then 4 s (back-off doubling from 2 s).
    assert 0 <= countdowns[0] <= 2 and 0 <= countdowns[1] <= 4
    assert not TaskFailure.objects.exists()


def test_task_failing_after_its_retries_is_recorded_for_admins():
    result = flaky.delay(100)
    assert result.state == "FAILURE"
    assert isinstance(result.result, OperationalError)
    assert len(ATTEMPTS) == 1 + flaky.max_retries
    failure = TaskFailure.objects.get()
    assert failure.task_name == "tests.flaky"
    assert "OperationalError: server closed the connection" in failure.exception
    assert failure.retries == flaky.max_retries


def test_a_bug_is_not_retried_but_recorded():
    assert broken.delay().state == "FAILURE"
    failure = TaskFailure.objects.get()
    assert failure.retries == 0
    assert "ValueError: a bug, not a hiccup" in failure.exception
    assert "Traceback" in failure.traceback


def test_admins_see_failed_tasks_and_cannot_edit_them(admin_client):
    broken.delay()
    failure = TaskFailure.objects.get()
    listing = admin_client.get(reverse("admin:kamapp_taskfailure_changelist"))
    assert "tests.broken" in listing.content.decode()
    assert admin_client.get(reverse("admin:kamapp_taskfailure_add")).status_code == 403
    change = reverse("admin:kamapp_taskfailure_change", args=[failure.pk])
    assert admin_client.post(change, {"task_name": "x"}).status_code == 403


def test_the_embedded_brokers_directory_is_made_when_celery_is_configured(tmp_path):
    broker = tmp_path / "var" / "broker.sqlite3"
    results = tmp_path / "results" / "results.sqlite3"
    sqlite_directories_make(
        urls=[f"sqla+sqlite:///{broker}", f"db+sqlite:///{results}", "redis://127.0.0.1:6379/0"]
    )
    assert broker.parent.is_dir()
    assert results.parent.is_dir()


def test_a_worker_finds_every_task_including_those_beside_their_services():
    # A fresh interpreter, as a worker starts: only autodiscovery imports the task modules.
    probe = (
        "import django; django.setup(); from kamapp.celery import app; "
        "app.loader.import_default_modules(); print(' '.join(sorted(app.tasks)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kamapp.settings_test"},
        capture_output=True,
        text=True,
        check=True,
    )
    names = out.stdout.split()
    assert "accounts.tasks.metrics_recompute_task" in names
    assert "accounts.tasks.ledger_import_task" in names
