"""The run of one ledger import (read, validate, store, report) on a worker or the command
line, and the check that fails imports whose worker died."""

import contextlib
import csv
import datetime as dt
import io
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import CompanySettings, LedgerImport, LedgerLine, MetricsRun
from accounts.selectors import metrics_period
from accounts.services import metrics_recompute_request
from accounts.signals import ledger_import_finished
from kamapp.spreadsheets import spreadsheet_safe
from kamapp.tasks import BROKER_ERRORS

from . import parsing, store
from .limits import ledger_limits
from .messages import error_message, file_error_message, recompute_not_queued_message, stale_message
from .selectors import currency_rates

logger = logging.getLogger(__name__)

ERRORS_KEPT = 200  # errors kept on the record for the report page; the CSV has them all
ERROR_CSV_HEADER = ["file", "row", "column", "value", "error"]

# progress(stage, done, total): stage is one of LedgerImport.Stage.
ProgressReport = Callable[[str, int, int], None]

# A chunked import waiting for another to finish storing looks again this often.
STORE_TURN_WAIT_SECONDS = 2.0
STORE_TURN_LOCK = 0x4C454447  # PostgreSQL advisory lock key of the storing turn ("LEDG")

# An import a worker may (still) run: queued, or running (again, if its worker died).
LIVE_STATUSES = (LedgerImport.Status.QUEUED, LedgerImport.Status.RUNNING)


class ImportAbandoned(Exception):
    """The import is no longer running (the stale check failed it): this run stops."""


def ledger_imports_fail_stale(*, now: dt.datetime | None = None) -> int:
    """Fail the queued and running imports with no progress for JOB_STALE_MINUTES.

    Their worker was killed or never took them; they can then be retried. The lines they
    stored are deleted. A worker that takes such an import later, or was only slow, leaves
    it as it is (ImportAbandoned), its chunk under way rolled back.
    """
    now = now or timezone.now()
    minutes = settings.JOB_STALE_MINUTES
    cutoff = now - timedelta(minutes=minutes)
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    stale = LedgerImport.objects.filter(silent, status__in=LIVE_STATUSES)
    count = stale.update(
        status=LedgerImport.Status.FAILED,
        stage="",
        finished_at=now,
        message=stale_message(minutes=minutes),
    )
    if count:
        logger.warning("%s ledger import(s) without progress for %s min failed", count, minutes)
    ledger_lines_orphaned_delete()  # the chunks they had stored, and any a cleanup left
    return count


def ledger_import_run(
    *,
    ledger_import: LedgerImport,
    path: Path | None = None,
    progress: ProgressReport | None = None,
    today: dt.date | None = None,
) -> LedgerImport:
    """Read, validate and store one file, LEDGER_IMPORT_CHUNK_LINES lines a transaction.

    A file with errors stores nothing unless the import is `valid_only`. Lines already in
    the ledger (same invoice and line key) are counted as duplicates, never doubled. Each
    chunk commits on its own, so other writers (a rating saved) wait for one chunk at most;
    the lines count nowhere until the last chunk turns the import done (LedgerLine.objects).
    One import stores at a time. A failure deletes the lines this import stored, and only
    those, so the file can simply be run again (a retry is a new import).
    Only a queued or running import is run: one the stale check failed is left alone.
    """
    started = time.monotonic()
    report = progress or (lambda stage, done, total: None)
    path = Path(path or ledger_import.file.path)
    try:
        _record(
            ledger_import,
            claim=True,
            status=LedgerImport.Status.RUNNING,
            stage=LedgerImport.Stage.READING,
            started_at=timezone.now(),
            message="",
        )
    except ImportAbandoned:
        logger.warning("Ledger import %s is %s: not run", ledger_import.pk, ledger_import.status)
        return ledger_import
    try:
        report(LedgerImport.Stage.READING, 0, 0)
        table = parsing.ledger_read(path, limits=ledger_limits())
        total = len(table.frame)
        _record(ledger_import, stage=LedgerImport.Stage.VALIDATING, rows_total=total)
        report(LedgerImport.Stage.VALIDATING, 0, total)
        checked = _ledger_check(ledger_import, table, today=today or timezone.localdate())
        _errors_record(ledger_import, checked)
        _dates_record(ledger_import, checked.lines)
        report(LedgerImport.Stage.VALIDATING, total, total)
        if checked.rows_invalid and not ledger_import.valid_only:
            _finish(ledger_import, started, status=LedgerImport.Status.REJECTED)
            return ledger_import
        lines = checked.lines
        chunk = settings.LEDGER_IMPORT_CHUNK_LINES
        if chunk:
            _store_turn_take(ledger_import)
        else:
            _record(ledger_import, stage=LedgerImport.Stage.STORING)
        ledger_lines_orphaned_delete()
        report(LedgerImport.Stage.STORING, 0, len(lines))
        if "currency" in lines.columns:
            ledger_import.rows_converted = int((lines["currency"] != "").sum())
        with store.sqlite_page_cache():
            inserted = _lines_store(
                ledger_import, lines, chunk=chunk or len(lines), started=started, report=report
            )
        if inserted:
            _metrics_recompute_after(ledger_import)
    except ImportAbandoned:
        logger.warning("Ledger import %s was failed while running: stopped", ledger_import.pk)
        ledger_import_lines_delete(ledger_import_id=ledger_import.pk)
    except parsing.LedgerFileError as exc:
        _fail(ledger_import, started, message=file_error_message(exc))
    except Exception as exc:
        logger.exception("Ledger import %s failed", ledger_import.pk)
        _fail(ledger_import, started, message=f"{type(exc).__name__}: {exc}")
        raise
    return ledger_import


def _lines_store(
    ledger_import: LedgerImport,
    lines: pd.DataFrame,
    *,
    chunk: int,
    started: float,
    report: ProgressReport,
) -> int:
    """Store the lines `chunk` at a time, each chunk a transaction with the import's counts
    so far (its resumable state); the last chunk's also turns the import done."""
    total = len(lines)
    inserted = created = 0
    for start in range(0, total, chunk) if total else [0]:
        part = lines.iloc[start : start + chunk]
        with transaction.atomic():
            customer_ids, new = store.customer_ids_resolve(
                lines=part, ledger_import_id=ledger_import.pk
            )
            inserted += store.ledger_lines_insert(
                lines=part,
                customer_ids=customer_ids,
                ledger_import_id=ledger_import.pk,
                progress=lambda done, start=start: report(
                    LedgerImport.Stage.STORING, start + done, total
                ),
            )
            created += new
            counts = {
                "customers_created": created,
                "rows_imported": inserted,
                "rows_duplicate": start + len(part) - inserted,
            }
            if start + chunk < total:
                # Still running? If the stale check failed it meanwhile, the chunk rolls back.
                _record(ledger_import, **counts)
            else:
                for name, value in counts.items():
                    setattr(ledger_import, name, value)
                # Over every stored line and this file's (not counted until it is done):
                # its last date may end the period.
                _period_record(ledger_import, lines, metrics_period(also_until=_last_date(lines)))
                _finish(ledger_import, started, status=LedgerImport.Status.DONE)
    return inserted


def _store_turn_take(ledger_import: LedgerImport) -> None:
    """Wait until no other import is storing, then start storing (chunked imports).

    Lines another import stored but has not finished would be skipped here as already
    there, and lost if it then failed: so one import stores at a time. A waiting import
    keeps its heartbeat, and fails an import that is storing no more (its worker died).
    """
    while True:
        ledger_imports_fail_stale()
        with transaction.atomic():
            # The check and the claim are one step: on SQLite the transaction holds the
            # write lock from its start (IMMEDIATE), on PostgreSQL this advisory lock.
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [STORE_TURN_LOCK])
            storing = LedgerImport.objects.filter(
                status=LedgerImport.Status.RUNNING, stage=LedgerImport.Stage.STORING
            ).exclude(pk=ledger_import.pk)
            if not storing.exists():
                _record(ledger_import, stage=LedgerImport.Stage.STORING)
                return
            _record(ledger_import, heartbeat_at=timezone.now())
        time.sleep(STORE_TURN_WAIT_SECONDS)


def ledger_import_lines_delete(*, ledger_import_id: int) -> int:
    """Delete the lines a failed import stored (never another import's), then the customers
    it created that nothing used; how many lines went."""
    failed = LedgerImport.objects.filter(pk=ledger_import_id, status=LedgerImport.Status.FAILED)
    if not failed.exists():
        return 0
    deleted = store.import_lines_delete(ledger_import_id=ledger_import_id)
    store.import_customers_delete(ledger_import_id=ledger_import_id)
    return deleted


def ledger_lines_orphaned_delete() -> int:
    """Delete the lines left by failed imports whose own cleanup did not finish."""
    # Failed imports are few: an index look-up each, not a scan of the ledger.
    with_lines = Exists(LedgerLine.stored.filter(ledger_import=OuterRef("pk")))
    failed = LedgerImport.objects.filter(with_lines, status=LedgerImport.Status.FAILED)
    pks = list(failed.values_list("pk", flat=True))
    return sum(ledger_import_lines_delete(ledger_import_id=pk) for pk in pks)


def _metrics_recompute_after(ledger_import: LedgerImport) -> None:
    """New revenue: tiers and signals are recomputed on a worker straight away.

    The import is done whatever happens here: with the broker down its report says that
    the recompute was not queued (the run is recorded as such too).
    """
    try:
        metrics_recompute_request(
            trigger=MetricsRun.Trigger.IMPORT, started_by_id=ledger_import.created_by_id
        )
    except BROKER_ERRORS:
        logger.exception("Metrics recompute after ledger import %s not queued", ledger_import.pk)
        ledger_import.message = recompute_not_queued_message()
        ledger_import.save(update_fields=["message"])


def _ledger_check(
    ledger_import: LedgerImport, table: parsing.LedgerTable, *, today: dt.date
) -> parsing.CheckedLedger:
    mapping = ledger_import.mapping or parsing.mapping_guess(table.columns)
    if not mapping:
        raise parsing.LedgerFileError("no_columns", ", ".join(table.columns))
    date_format = ledger_import.date_format
    if not date_format and "invoice_date" in mapping:
        date_format = parsing.date_order_detect(table.frame[mapping["invoice_date"]])[0]
    ledger_import.mapping, ledger_import.date_format = mapping, str(date_format)
    return parsing.ledger_check(
        table,
        mapping=mapping,
        date_order=ledger_import.date_format,
        today=today,
        company_currency=CompanySettings.load().currency,
        file_currency=ledger_import.currency,
        rates=currency_rates(),
    )


def _errors_record(ledger_import: LedgerImport, checked: parsing.CheckedLedger) -> None:
    errors = checked.errors
    ledger_import.rows_invalid = checked.rows_invalid
    ledger_import.rows_skipped = checked.rows_skipped
    ledger_import.skipped_amount = Decimal(f"{checked.skipped_amount:.2f}")
    ledger_import.error_count = len(errors)
    ledger_import.errors = errors_kept(errors)
    if len(errors):
        ledger_import.errors_file.save(
            f"{ledger_import.pk}.csv",
            ContentFile(errors_csv(file_name=ledger_import.file_name, errors=errors)),
            save=False,
        )


def errors_kept(errors: pd.DataFrame) -> list[dict]:
    """The first ERRORS_KEPT errors as the record keeps them for its report page."""
    first = errors.head(ERRORS_KEPT)
    return [
        {"row": int(row), "column": column, "value": str(value), "code": code}
        for row, column, value, code in zip(
            first["row"], first["column"], first["value"], first["code"], strict=True
        )
    ]


def _dates_record(ledger_import: LedgerImport, lines: pd.DataFrame) -> None:
    """The first and last invoice date of the file's valid lines."""
    if len(lines):
        dates = lines["invoice_date"]
        ledger_import.first_line_date = dates.min().date()
        ledger_import.last_line_date = dates.max().date()


def _last_date(lines: pd.DataFrame) -> dt.date | None:
    return lines["invoice_date"].max().date() if len(lines) else None


def _period_record(
    ledger_import: LedgerImport, lines: pd.DataFrame, period: tuple[dt.date, dt.date] | None
) -> None:
    """How many of the file's valid lines (new or already stored) the metrics period holds."""
    ledger_import.lines_in_period = 0
    if period is None or not len(lines):
        return
    ledger_import.period_start, ledger_import.period_end = period
    days = lines["invoice_date"].to_numpy("datetime64[D]")
    start, end = (np.datetime64(day, "D") for day in period)
    ledger_import.lines_in_period = int(((days >= start) & (days <= end)).sum())


def errors_csv(
    *, file_name: str, errors: pd.DataFrame, message: Callable[[str], str] = error_message
) -> bytes:
    """Every error as a CSV line: file, row, column, bad value, what is wrong (`message`
    words a code; by default the ledger's words).

    The file's own text (its name, column names, values) is neutralised where a
    spreadsheet would run it as a formula.
    """
    codes = errors["code"].astype(str)
    words = {code: message(code) for code in codes.unique()}
    frame = pd.DataFrame(
        {
            "file": spreadsheet_safe(file_name),
            "row": errors["row"].to_numpy(),
            "column": errors["column"].map(spreadsheet_safe).to_numpy(),
            "value": errors["value"].map(spreadsheet_safe).to_numpy(),
            "error": codes.map(words).to_numpy(),
        }
    )
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=ERROR_CSV_HEADER, quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue().encode("utf-8-sig")


def _record(ledger_import: LedgerImport, *, claim: bool = False, **changes) -> None:
    """Save changes to a running import with a heartbeat; all its fields if none are named.

    Raises ImportAbandoned when the import is no longer running (or, to `claim` it, no
    longer queued or running): the stale check failed it, so this run must stop.
    """
    for name, value in changes.items():
        setattr(ledger_import, name, value)
    ledger_import.heartbeat_at = timezone.now()
    allowed = LIVE_STATUSES if claim else (LedgerImport.Status.RUNNING,)
    with transaction.atomic():
        current = (
            LedgerImport.objects.select_for_update()
            .values_list("status", flat=True)
            .get(pk=ledger_import.pk)
        )
        if current not in allowed:
            ledger_import.refresh_from_db()  # as the check left it, not as this run had it
            raise ImportAbandoned(current)
        fields = list(dict.fromkeys([*changes, "heartbeat_at"])) if changes else None
        ledger_import.save(update_fields=fields)


def _finish(ledger_import: LedgerImport, started: float, *, status: str) -> None:
    """Close the run: its status with every field it set (counts, errors, mapping)."""
    ledger_import.status = status
    ledger_import.stage = ""
    ledger_import.finished_at = timezone.now()
    ledger_import.duration = round(time.monotonic() - started, 3)
    _record(ledger_import)
    transaction.on_commit(
        lambda: ledger_import_finished.send(sender=LedgerImport, ledger_import=ledger_import)
    )


def _fail(ledger_import: LedgerImport, started: float, *, message: str) -> None:
    ledger_import.message = message
    with contextlib.suppress(ImportAbandoned):  # failed already, by the stale check
        _finish(ledger_import, started, status=LedgerImport.Status.FAILED)
    try:
        ledger_import_lines_delete(ledger_import_id=ledger_import.pk)
    except Exception:  # e.g. the database gone: the stale check deletes them later
        logger.exception("Lines of failed ledger import %s not deleted", ledger_import.pk)
