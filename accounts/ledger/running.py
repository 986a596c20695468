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

import pandas as pd
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import CompanySettings, LedgerImport, MetricsRun
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

# An import a worker may (still) run: queued, or running (again, if its worker died).
LIVE_STATUSES = (LedgerImport.Status.QUEUED, LedgerImport.Status.RUNNING)


class ImportAbandoned(Exception):
    """The import is no longer running (the stale check failed it): this run stops."""


def ledger_imports_fail_stale(*, now: dt.datetime | None = None) -> int:
    """Fail the queued and running imports with no progress for JOB_STALE_MINUTES.

    Their worker was killed or never took them; they can then be retried. A worker that
    takes such an import later, or was only slow, leaves it as it is (ImportAbandoned).
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
    return count


def ledger_import_run(
    *,
    ledger_import: LedgerImport,
    path: Path | None = None,
    progress: ProgressReport | None = None,
    today: dt.date | None = None,
) -> LedgerImport:
    """Read, validate and store one file; the lines are written in a single transaction.

    A file with errors stores nothing unless the import is `valid_only`. Lines already in
    the ledger (same invoice and line key) are counted as duplicates, never doubled. Any
    failure while storing rolls the whole file back, so the import can simply be re-run.
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
        report(LedgerImport.Stage.VALIDATING, total, total)
        if checked.rows_invalid and not ledger_import.valid_only:
            _finish(ledger_import, started, status=LedgerImport.Status.REJECTED)
            return ledger_import
        _record(ledger_import, stage=LedgerImport.Stage.STORING)
        lines = checked.lines
        report(LedgerImport.Stage.STORING, 0, len(lines))
        with store.sqlite_page_cache(), transaction.atomic():
            customer_ids, created = store.customer_ids_resolve(lines=lines)
            inserted = store.ledger_lines_insert(
                lines=lines,
                customer_ids=customer_ids,
                progress=lambda done: report(LedgerImport.Stage.STORING, done, len(lines)),
            )
            # Still running? If the stale check failed it meanwhile, the lines roll back.
            _record(ledger_import, heartbeat_at=timezone.now())
        ledger_import.customers_created = created
        ledger_import.rows_imported = inserted
        ledger_import.rows_duplicate = len(lines) - inserted
        if "currency" in lines.columns:
            ledger_import.rows_converted = int((lines["currency"] != "").sum())
        _finish(ledger_import, started, status=LedgerImport.Status.DONE)
        if inserted:
            _metrics_recompute_after(ledger_import)
    except ImportAbandoned:
        logger.warning("Ledger import %s was failed while running: stopped", ledger_import.pk)
    except parsing.LedgerFileError as exc:
        _fail(ledger_import, started, message=file_error_message(exc))
    except Exception as exc:
        logger.exception("Ledger import %s failed", ledger_import.pk)
        _fail(ledger_import, started, message=f"{type(exc).__name__}: {exc}")
        raise
    return ledger_import


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
    first = errors.head(ERRORS_KEPT)
    ledger_import.errors = [
        {"row": int(row), "column": column, "value": str(value), "code": code}
        for row, column, value, code in zip(
            first["row"], first["column"], first["value"], first["code"], strict=True
        )
    ]
    if len(errors):
        ledger_import.errors_file.save(
            f"{ledger_import.pk}.csv",
            ContentFile(errors_csv(file_name=ledger_import.file_name, errors=errors)),
            save=False,
        )


def errors_csv(*, file_name: str, errors: pd.DataFrame) -> bytes:
    """Every error as a CSV line: file, row, column, bad value, what is wrong.

    The file's own text (its name, column names, values) is neutralised where a
    spreadsheet would run it as a formula.
    """
    codes = errors["code"].astype(str)
    words = {code: error_message(code) for code in codes.unique()}
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
