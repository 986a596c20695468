"""A ledger import stored in chunks: each chunk its own transaction, the lines counted only
once their import is done, and a failed or dead import taking away its own lines, no other's."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.utils import timezone

from accounts.ledger import running, store
from accounts.ledger.services import ledger_import_create, ledger_import_path, ledger_import_retry
from accounts.ledger.tasks import ledger_import_task
from accounts.models import Customer, CustomerMetrics, LedgerImport, LedgerLine
from accounts.selectors import ledger_counts
from accounts.services import metrics_recompute
from tests.accounts.conftest import HEADER_EN
from tests.accounts.ledger import buy
from tests.accounts.test_ledger_recovery import MAPPING, an_import
from tests.factories import CustomerFactory, LedgerLineFactory

pytestmark = pytest.mark.django_db

STORING = LedgerImport.Stage.STORING


def ledger_csv(invoices: range, *, customer: str = "C001") -> str:
    """One line per invoice: INV<n>, quantity 1, unit price n."""
    rows = [f"INV{n},05/03/2024,{customer},PT {customer},P1,Pen,1,{n}" for n in invoices]
    return "\n".join([HEADER_EN, *rows]) + "\n"


def amounts_by_invoice(**filters) -> dict[str, Decimal]:
    return dict(LedgerLine.stored.filter(**filters).values_list("invoice_number", "amount"))


def uploaded(content: str) -> LedgerImport:
    """An uploaded file, its mapping confirmed, queued for a worker."""
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("ledger.csv", content.encode()), user=None
    )
    LedgerImport.objects.filter(pk=ledger_import.pk).update(
        status=LedgerImport.Status.QUEUED, mapping=MAPPING, date_format="dmy"
    )
    ledger_import.refresh_from_db()
    return ledger_import


class WorkerDied(BaseException):
    """Stands for the worker process killed: nothing of the run's own handling runs."""


def insert_failing_on_call(monkeypatch, number: int, error: BaseException) -> None:
    """The `number`-th chunk insert (from 1) raises `error`; the others store as usual."""
    calls = []
    insert = store.ledger_lines_insert

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == number:
            raise error
        return insert(**kwargs)

    monkeypatch.setattr(store, "ledger_lines_insert", failing)


@pytest.mark.parametrize(("chunk", "transactions"), [(3, 4), (0, 1)])
def test_an_import_stores_chunk_by_chunk_and_its_lines_count_only_once_done(
    write_file, settings, chunk, transactions
):
    settings.LEDGER_IMPORT_CHUNK_LINES = chunk
    path = write_file("ten.csv", ledger_csv(range(1, 11)))
    seen = []

    def progress(stage, done, total):
        if stage == STORING and done:
            recorded = LedgerImport.objects.values_list("status", "rows_imported").get()
            seen.append((done, LedgerLine.stored.count(), LedgerLine.objects.count(), recorded))

    ledger_import = ledger_import_path(path=path, progress=progress)

    # Each chunk: its lines stored, none counted, the record holding the chunks before it.
    before = [0, 3, 6, 9] if chunk else [0]
    assert seen == [
        (done, done, 0, ("running", previous))
        for done, previous in zip([3, 6, 9, 10] if chunk else [10], before, strict=True)
    ]
    assert len(seen) == transactions
    assert (ledger_import.status, ledger_import.rows_imported) == ("done", 10)
    assert ledger_import.rows_duplicate == 0
    assert amounts_by_invoice() == {f"INV{n}": Decimal(n) for n in range(1, 11)}
    assert set(LedgerLine.objects.values_list("ledger_import", flat=True)) == {ledger_import.pk}


def test_readers_count_the_lines_of_done_imports_and_of_none_only():
    customer = CustomerFactory()
    done = an_import(None, status=LedgerImport.Status.DONE)
    buy(customer, 100, ledger_import=done)
    buy(customer, 20)  # entered otherwise
    for status in ("running", "queued", "failed", "rejected"):
        buy(customer, 5000, ledger_import=an_import(None, status=status))

    assert LedgerLine.stored.count() == 6
    assert LedgerLine.objects.count() == 2
    assert customer.ledger_lines.count() == 2
    assert ledger_counts()["ledger_lines"] == 2
    run = metrics_recompute()
    assert run.ledger_lines == 2
    assert CustomerMetrics.objects.get(customer=customer).revenue == Decimal("120")


def test_the_later_of_two_overlapping_imports_fails_and_every_line_of_the_first_survives(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The first import is under way when the later one starts; the later waits for it to
    finish storing, stores a chunk of its own (partly the same lines), then fails."""
    settings.LEDGER_IMPORT_CHUNK_LINES = 4
    first = uploaded(ledger_csv(range(1, 11)))
    later = uploaded(ledger_csv(range(7, 19)))
    # The first has read and checked its file and is about to store it.
    LedgerImport.objects.filter(pk=first.pk).update(status="running", stage=STORING)
    waits = []

    def sleep(seconds):  # the later import waits for the first, which stores meanwhile
        waits.append(seconds)
        running.ledger_import_run(ledger_import=first)
        insert_failing_on_call(monkeypatch, 2, OperationalError("database is locked"))

    monkeypatch.setattr(running.time, "sleep", sleep)
    with pytest.raises(OperationalError):
        running.ledger_import_run(ledger_import=later)

    later.refresh_from_db()
    first.refresh_from_db()
    assert waits == [running.STORE_TURN_WAIT_SECONDS]
    assert (first.status, first.rows_imported, later.status) == ("done", 10, "failed")
    assert "database is locked" in later.message
    # Its first chunk (7 to 10 already there, then 11) and anything else of its own: gone.
    assert amounts_by_invoice() == {f"INV{n}": Decimal(n) for n in range(1, 11)}
    assert amounts_by_invoice(ledger_import=first) == amounts_by_invoice()
    assert not LedgerLine.stored.filter(ledger_import=later).exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = ledger_import_retry(ledger_import=later, user=None)
    again.refresh_from_db()
    assert (again.status, again.rows_imported, again.rows_duplicate) == ("done", 8, 4)
    assert amounts_by_invoice() == {f"INV{n}": Decimal(n) for n in range(1, 19)}


def test_a_failure_deletes_only_the_failed_imports_lines_when_chunks_interleave():
    """Chunks of two imports stored in turn, whatever the runner allows: the failed one's go."""
    customer_id = CustomerFactory(code="C001").pk
    first, later = (an_import(None, status=LedgerImport.Status.RUNNING) for _ in range(2))

    def chunk(ledger_import, invoices):
        lines = pd.DataFrame(
            {
                "customer_code": "C001",
                "customer_name": "",
                "invoice_number": [f"INV{n}" for n in invoices],
                "line_key": "1",
                "invoice_date": pd.Timestamp("2024-03-05"),
                "amount": [float(n) for n in invoices],
                "product_code": "",
                "due_date": pd.NaT,
                "paid_date": pd.NaT,
            }
        )
        ids = np.full(len(lines), customer_id)
        store.ledger_lines_insert(lines=lines, customer_ids=ids, ledger_import_id=ledger_import.pk)

    chunk(first, range(1, 4))
    chunk(later, range(4, 7))
    chunk(first, range(7, 10))
    chunk(later, range(10, 13))
    LedgerImport.objects.filter(pk=later.pk).update(status=LedgerImport.Status.FAILED)
    assert running.ledger_import_lines_delete(ledger_import_id=first.pk) == 0  # still running
    assert running.ledger_import_lines_delete(ledger_import_id=later.pk) == 6

    assert sorted(amounts_by_invoice().values()) == [1, 2, 3, 7, 8, 9]
    assert set(LedgerLine.stored.values_list("ledger_import", flat=True)) == {first.pk}


def test_an_import_whose_worker_died_counts_nothing_and_its_retry_stores_every_line_once(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.LEDGER_IMPORT_CHUNK_LINES = 2
    dead = uploaded(ledger_csv(range(1, 11)))
    insert_failing_on_call(monkeypatch, 3, WorkerDied())
    with pytest.raises(WorkerDied):
        ledger_import_task.delay(dead.pk)
    monkeypatch.undo()

    dead.refresh_from_db()
    assert (dead.status, dead.stage, dead.rows_imported) == ("running", STORING, 4)
    assert (LedgerLine.stored.count(), LedgerLine.objects.count()) == (4, 0)  # two chunks

    silent = timezone.now() - dt.timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
    LedgerImport.objects.update(heartbeat_at=silent)
    assert running.ledger_imports_fail_stale() == 1
    dead.refresh_from_db()
    assert dead.status == "failed" and LedgerLine.stored.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        again = ledger_import_retry(ledger_import=dead, user=None)
    again.refresh_from_db()
    assert (again.status, again.rows_imported, again.rows_duplicate) == ("done", 10, 0)
    assert amounts_by_invoice() == {f"INV{n}": Decimal(n) for n in range(1, 11)}
    assert amounts_by_invoice(ledger_import=again) == amounts_by_invoice()


def test_a_redelivered_run_that_died_while_storing_is_closed_and_its_lines_deleted(
    write_file, settings, monkeypatch
):
    settings.LEDGER_IMPORT_CHUNK_LINES = 2
    path = write_file("ten.csv", ledger_csv(range(1, 11)))
    insert_failing_on_call(monkeypatch, 2, WorkerDied())
    with pytest.raises(WorkerDied):
        ledger_import_path(path=path)
    monkeypatch.undo()
    died = LedgerImport.objects.get()
    LedgerImport.objects.update(task_id="")
    assert LedgerLine.stored.filter(ledger_import=died).count() == 2

    assert ledger_import_task.delay(died.pk).get()["status"] == "failed"
    assert LedgerLine.stored.count() == 0


def test_a_waiting_import_fails_a_dead_import_that_held_the_turn_and_stores(
    write_file, settings, monkeypatch
):
    settings.LEDGER_IMPORT_CHUNK_LINES = 2
    silent = timezone.now() - dt.timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
    dead = an_import(None, status=LedgerImport.Status.RUNNING, stage=STORING)
    LedgerImport.objects.filter(pk=dead.pk).update(heartbeat_at=silent)
    LedgerLineFactory(invoice_number="INV1", ledger_import=dead, amount=Decimal("999"))
    monkeypatch.setattr(running.time, "sleep", lambda seconds: pytest.fail("waited"))

    done = ledger_import_path(path=write_file("three.csv", ledger_csv(range(1, 4))))

    dead.refresh_from_db()
    assert (dead.status, done.status, done.rows_imported) == ("failed", "done", 3)
    assert amounts_by_invoice() == {"INV1": Decimal(1), "INV2": Decimal(2), "INV3": Decimal(3)}


def test_a_failed_import_takes_away_the_customers_it_created_that_nothing_used(
    settings, monkeypatch
):
    """Chunks of 2 lines over customers N1..N4 (N1 known before); the third chunk fails.
    N2 and N3 came with the stored chunks: N2 was renamed meanwhile and N3 got a line of
    another import, so both stay; N4 came with nothing stored, and N5 with the first chunk
    and was used by no one: it goes."""
    settings.LEDGER_IMPORT_CHUNK_LINES = 2
    known = CustomerFactory(code="N1", name="Known")
    rows = [
        f"INV{n},05/03/2024,{code},PT {code},P1,Pen,1,{n}"
        for n, code in enumerate(["N1", "N5", "N2", "N3", "N4", "N4"], start=1)
    ]
    ledger_import = uploaded("\n".join([HEADER_EN, *rows]) + "\n")
    insert = store.ledger_lines_insert
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OperationalError("disk I/O error")
        inserted = insert(**kwargs)
        if len(calls) == 2:
            # Committed with the second chunk, as if done meanwhile by someone else: N2
            # renamed, N3 given a line of no import.
            Customer.objects.filter(code="N2").update(name="Renamed", updated_at=timezone.now())
            LedgerLineFactory(customer=Customer.objects.get(code="N3"), invoice_number="X1")
        return inserted

    monkeypatch.setattr(store, "ledger_lines_insert", failing)
    with pytest.raises(OperationalError):
        running.ledger_import_run(ledger_import=ledger_import)

    ledger_import.refresh_from_db()
    assert ledger_import.status == "failed"
    assert sorted(Customer.objects.values_list("code", flat=True)) == ["N1", "N2", "N3"]
    assert Customer.objects.get(code="N1") == known
    assert not LedgerLine.objects.filter(ledger_import=ledger_import).exists()


def test_a_done_import_keeps_the_customers_it_created():
    ledger_import = uploaded(ledger_csv(range(1, 3), customer="D1"))
    running.ledger_import_run(ledger_import=ledger_import)
    customer = Customer.objects.get(code="D1")
    assert customer.created_by_import_id == ledger_import.pk
    assert running.ledger_import_lines_delete(ledger_import_id=ledger_import.pk) == 0
    assert Customer.objects.filter(code="D1").exists()
