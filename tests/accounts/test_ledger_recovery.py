"""Imports and recomputes under faults: a worker killed mid-job, the broker down."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts import pareto
from accounts.ledger import running
from accounts.ledger.services import ledger_import_create
from accounts.ledger.tasks import ledger_import_task
from accounts.models import CustomerMetrics, LedgerImport, LedgerLine, MetricsRun
from accounts.selectors import metrics_run_panel
from accounts.services import metrics_recompute
from accounts.tasks import stale_jobs_fail_task
from kamapp.celery import app as celery_app
from tests.accounts.conftest import LEDGER_EN
from tests.accounts.ledger import buy
from tests.factories import CustomerFactory
from tests.fixtures.schedules import migration_step_run

pytestmark = pytest.mark.django_db

MAPPING = {
    "invoice_number": "InvoiceNo",
    "invoice_date": "InvoiceDate",
    "customer_code": "CustomerID",
    "customer_name": "CustomerName",
    "product_code": "StockCode",
    "quantity": "Quantity",
    "unit_price": "UnitPrice",
}


def an_import(user, *, status=LedgerImport.Status.QUEUED, minutes_silent=0, **fields):
    """An import of LEDGER_EN, its mapping confirmed, last heard of `minutes_silent` ago."""
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("l.csv", LEDGER_EN.encode()), user=user
    )
    heartbeat = timezone.now() - dt.timedelta(minutes=minutes_silent)
    changes = {"status": status, "mapping": MAPPING, "date_format": "dmy", **fields}
    LedgerImport.objects.filter(pk=ledger_import.pk).update(heartbeat_at=heartbeat, **changes)
    ledger_import.refresh_from_db()
    return ledger_import


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def browser(settings, admin_user):
    """An admin's browser that gets the real error pages (DEBUG off, no exception raised)."""
    settings.DEBUG = False
    browser = Client(raise_request_exception=False)
    browser.force_login(admin_user)
    return browser


# --- The stale check ---------------------------------------------------------------------


def test_imports_without_progress_for_the_stale_time_are_failed_by_the_check(admin_user, settings):
    minutes = settings.JOB_STALE_MINUTES
    storing = an_import(
        admin_user,
        status=LedgerImport.Status.RUNNING,
        stage=LedgerImport.Stage.STORING,
        minutes_silent=minutes + 1,
    )
    never_taken = an_import(admin_user, minutes_silent=minutes + 1)
    alive = an_import(admin_user, status=LedgerImport.Status.RUNNING, minutes_silent=minutes - 1)
    done = an_import(admin_user, status=LedgerImport.Status.DONE, minutes_silent=minutes + 60)

    assert stale_jobs_fail_task.delay().get() == {"imports": 2, "metrics_runs": 0}

    for stale in (storing, never_taken):
        stale.refresh_from_db()
        assert (stale.status, stale.stage) == ("failed", "")
        assert f"no progress for {minutes} minutes" in stale.message
        assert stale.finished_at is not None
    alive.refresh_from_db()
    done.refresh_from_db()
    assert (alive.status, done.status) == ("running", "done")


def test_the_stale_time_is_a_setting(admin_user, settings):
    settings.JOB_STALE_MINUTES = 60
    silent = an_import(admin_user, status=LedgerImport.Status.RUNNING, minutes_silent=30)
    assert running.ledger_imports_fail_stale() == 0
    settings.JOB_STALE_MINUTES = 20
    assert running.ledger_imports_fail_stale() == 1
    silent.refresh_from_db()
    assert silent.status == "failed"


def test_the_check_is_scheduled_every_five_minutes_by_a_migration():
    migration_step_run("accounts.migrations.0015_stale_jobs_check_schedule", "create_schedule")
    task = PeriodicTask.objects.get(task="accounts.tasks.stale_jobs_fail_task")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (5, "minutes")
    assert task.task in celery_app.tasks


def test_a_stale_import_shows_a_retry_button_that_runs_the_file_again(
    admin, admin_user, settings, django_capture_on_commit_callbacks
):
    stale = an_import(
        admin_user,
        status=LedgerImport.Status.RUNNING,
        minutes_silent=settings.JOB_STALE_MINUTES + 1,
    )
    page = admin.get(reverse("ledger:import_detail", args=[stale.pk])).content.decode()
    assert "Running" in page and 'id="import-retry"' not in page

    running.ledger_imports_fail_stale()
    page = admin.get(reverse("ledger:import_detail", args=[stale.pk])).content.decode()
    assert 'id="import-retry"' in page and "hx-trigger" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("ledger:import_retry", args=[stale.pk]))
    again = LedgerImport.objects.latest("pk")
    assert response["Location"] == reverse("ledger:import_detail", args=[again.pk])
    assert (again.status, again.rows_imported, again.valid_only) == ("done", 4, False)
    assert LedgerLine.objects.count() == 4


@pytest.mark.parametrize(
    ("status", "mapping", "reason"),
    [
        (LedgerImport.Status.DONE, MAPPING, "This import is done"),
        (LedgerImport.Status.UPLOADED, {}, "mapping was never confirmed"),
        (LedgerImport.Status.RUNNING, MAPPING, "still under way"),
        (LedgerImport.Status.QUEUED, MAPPING, "still under way"),
    ],
)
def test_a_retry_of_a_done_live_or_unconfirmed_import_is_refused(
    admin, admin_user, status, mapping, reason, django_capture_on_commit_callbacks
):
    ledger_import = an_import(admin_user, status=status, mapping=mapping)
    page = admin.get(reverse("ledger:import_detail", args=[ledger_import.pk])).content.decode()
    assert 'id="import-retry"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("ledger:import_retry", args=[ledger_import.pk]), follow=True)
    assert LedgerImport.objects.count() == 1
    assert LedgerLine.objects.count() == 0
    assert response.redirect_chain[-1][0] == reverse(
        "ledger:import_detail", args=[ledger_import.pk]
    )
    assert reason in response.content.decode()


def test_a_worker_taking_an_import_the_check_failed_leaves_it_failed(admin_user, settings):
    ledger_import = an_import(admin_user, minutes_silent=settings.JOB_STALE_MINUTES + 1)
    running.ledger_imports_fail_stale()
    ledger_import.refresh_from_db()
    message = ledger_import.message

    ledger_import_task.delay(ledger_import.pk).get()

    ledger_import.refresh_from_db()
    assert (ledger_import.status, ledger_import.message) == ("failed", message)
    assert LedgerLine.objects.count() == 0


def test_an_import_failed_by_the_check_while_it_runs_stops_and_stores_nothing(admin_user, settings):
    ledger_import = an_import(admin_user)

    def progress(stage, done, total):
        if stage == LedgerImport.Stage.VALIDATING and done:  # the check runs meanwhile
            LedgerImport.objects.filter(pk=ledger_import.pk).update(
                heartbeat_at=timezone.now() - dt.timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
            )
            assert running.ledger_imports_fail_stale() == 1

    running.ledger_import_run(ledger_import=ledger_import, progress=progress)

    ledger_import.refresh_from_db()
    assert ledger_import.status == "failed"
    assert "no progress" in ledger_import.message
    assert LedgerLine.objects.count() == 0


def test_each_stage_of_a_run_is_a_heartbeat(admin_user):
    ledger_import = an_import(admin_user, minutes_silent=10)
    beats = []

    def progress(stage, done, total):
        beats.append(LedgerImport.objects.values_list("heartbeat_at", flat=True).get())

    running.ledger_import_run(ledger_import=ledger_import, progress=progress)
    assert len(set(beats)) >= 3  # reading, validating, storing
    assert beats == sorted(beats)
    assert timezone.now() - beats[0] < dt.timedelta(minutes=1)


# --- Metrics runs ------------------------------------------------------------------------


def test_a_metrics_run_running_for_the_stale_time_is_failed_and_the_panel_stops_waiting(
    admin_user, settings
):
    started = timezone.now() - dt.timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
    dead = MetricsRun.objects.create(trigger=MetricsRun.Trigger.MANUAL, started_at=started)
    assert metrics_run_panel(user=admin_user, since="")["polling"]

    assert stale_jobs_fail_task.delay().get() == {"imports": 0, "metrics_runs": 1}

    dead.refresh_from_db()
    assert dead.status == "failed" and "Abandoned" in dead.error
    assert not metrics_run_panel(user=admin_user, since="")["polling"]


def test_a_metrics_run_failed_by_the_check_while_it_computes_writes_nothing(monkeypatch, settings):
    buy(CustomerFactory(), 100)
    real_compute = pareto.metrics_compute

    def compute_while_the_check_runs(**kwargs):
        MetricsRun.objects.update(
            started_at=timezone.now() - dt.timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
        )
        stale_jobs_fail_task.delay().get()
        return real_compute(**kwargs)

    monkeypatch.setattr(pareto, "metrics_compute", compute_while_the_check_runs)
    run = metrics_recompute()
    assert run.status == "failed"
    assert not CustomerMetrics.objects.exists()


# --- The broker down ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_confirming_an_import_with_the_broker_down_answers_503_and_says_not_queued(
    browser, admin_user, broker_unreachable
):
    ledger_import = an_import(admin_user, status=LedgerImport.Status.UPLOADED, mapping={})
    form = {f"map_{field}": column for field, column in MAPPING.items()} | {"date_format": "dmy"}
    response = browser.post(reverse("ledger:import_mapping", args=[ledger_import.pk]), form)
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    ledger_import.refresh_from_db()
    assert ledger_import.status == "failed"
    assert ledger_import.message.startswith("Not queued")
    page = browser.get(reverse("ledger:import_detail", args=[ledger_import.pk])).content.decode()
    assert "Not queued" in page and 'id="import-retry"' in page


@pytest.mark.django_db(transaction=True)
def test_a_retry_with_the_broker_down_answers_503_and_the_new_import_says_not_queued(
    browser, admin_user, broker_unreachable
):
    failed = an_import(admin_user, status=LedgerImport.Status.FAILED)
    response = browser.post(reverse("ledger:import_retry", args=[failed.pk]))
    assert response.status_code == 503
    again = LedgerImport.objects.latest("pk")
    assert again.pk != failed.pk
    assert (again.status, again.message[:10]) == ("failed", "Not queued")


@pytest.mark.django_db(transaction=True)
def test_a_recompute_started_with_the_broker_down_answers_503_and_says_not_queued(
    browser, admin_user, broker_unreachable
):
    response = browser.post(reverse("accounts:metrics_recompute_start"))
    assert response.status_code == 503
    run = MetricsRun.objects.get()
    assert (run.status, run.trigger, run.started_by) == ("failed", "manual", admin_user)
    assert run.error.startswith("Not queued")
    panel = metrics_run_panel(user=admin_user, since="")
    assert not panel["polling"] and panel["last_run"] == run


@pytest.mark.django_db(transaction=True)
def test_an_import_done_when_the_broker_is_down_stays_done_and_says_no_recompute(
    admin_user, broker_unreachable
):
    ledger_import = an_import(admin_user)
    running.ledger_import_run(ledger_import=ledger_import)
    ledger_import.refresh_from_db()
    assert (ledger_import.status, ledger_import.rows_imported) == ("done", 4)
    assert "recompute of the metrics and tiers could not be queued" in ledger_import.message
    assert MetricsRun.objects.get().error.startswith("Not queued")
