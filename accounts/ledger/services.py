"""Writes of the ledger import: record an upload, set its mapping, run it, save mappings."""

import csv
import datetime as dt
import hashlib
import io
import logging
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pandas as pd
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

from accounts.models import CompanySettings, LedgerImport, LedgerMapping, MetricsRun
from accounts.services import metrics_recompute_request
from kamapp.spreadsheets import spreadsheet_safe

from . import parsing, store
from .limits import ledger_limits
from .messages import error_message, file_error_message, mapping_problems_message
from .selectors import currency_rates
from .tasks import ledger_import_task

logger = logging.getLogger(__name__)

ERRORS_KEPT = 200  # errors kept on the record for the report page; the CSV has them all
ERROR_CSV_HEADER = ["file", "row", "column", "value", "error"]

# progress(stage, done, total): stage is one of LedgerImport.Stage.
ProgressReport = Callable[[str, int, int], None]


def file_checksum(*, handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def ledger_import_create(*, uploaded_file: File, user) -> LedgerImport:
    """Store an uploaded file under MEDIA_ROOT and record it, waiting for its mapping."""
    uploaded_file.seek(0)
    ledger_import = LedgerImport(
        file_name=Path(uploaded_file.name).name[:255],
        checksum=file_checksum(handle=uploaded_file),
        size=uploaded_file.size or 0,
        created_by=user,
    )
    ledger_import.file.save(ledger_import.file_name, uploaded_file, save=False)
    ledger_import.full_clean()
    ledger_import.save()
    return ledger_import


def ledger_import_configure(
    *,
    ledger_import: LedgerImport,
    mapping: dict[str, str],
    date_format: str,
    valid_only: bool,
    columns: list[str],
    mapping_name: str = "",
    currency: str = "",
    user=None,
) -> LedgerImport:
    """Confirm the mapping and date format of an upload and queue the import."""
    mapping = {field: column for field, column in mapping.items() if column}
    problems = parsing.mapping_problems(mapping, columns)
    if problems:
        raise ValidationError(mapping_problems_message(problems))
    with transaction.atomic():
        if mapping_name:
            ledger_mapping_save(
                name=mapping_name,
                columns=columns,
                mapping=mapping,
                date_format=date_format,
                user=user,
            )
        ledger_import.mapping = mapping
        ledger_import.date_format = date_format
        ledger_import.valid_only = valid_only
        ledger_import.currency = _file_currency(currency)
        ledger_import.full_clean()
        ledger_import.save()
        ledger_import_queue(ledger_import=ledger_import)
    return ledger_import


def ledger_import_refuse(*, ledger_import: LedgerImport, message: str) -> LedgerImport:
    """Close an upload that is not a ledger at all, saying why."""
    ledger_import.status = LedgerImport.Status.FAILED
    ledger_import.message = message
    ledger_import.finished_at = timezone.now()
    ledger_import.save(update_fields=["status", "message", "finished_at"])
    return ledger_import


def ledger_import_queue(*, ledger_import: LedgerImport) -> None:
    """Hand the import to a Celery worker once the transaction that set it up commits."""
    ledger_import.status = LedgerImport.Status.QUEUED
    ledger_import.save(update_fields=["status"])

    def send():
        result = ledger_import_task.delay(ledger_import.pk)
        LedgerImport.objects.filter(pk=ledger_import.pk, task_id="").update(task_id=result.id)

    transaction.on_commit(send)


def ledger_import_retry(*, ledger_import: LedgerImport, user, valid_only: bool) -> LedgerImport:
    """Run an import's file again as a new import (e.g. keeping only the valid rows)."""
    again = LedgerImport(
        file=ledger_import.file.name,
        file_name=ledger_import.file_name,
        checksum=ledger_import.checksum,
        size=ledger_import.size,
        created_by=user,
        mapping=ledger_import.mapping,
        date_format=ledger_import.date_format,
        valid_only=valid_only,
        currency=ledger_import.currency,
    )
    with transaction.atomic():
        again.full_clean()
        again.save()
        ledger_import_queue(ledger_import=again)
    return again


def ledger_import_path(
    *,
    path: Path,
    user=None,
    mapping: dict[str, str] | None = None,
    date_format: str = "",
    valid_only: bool = False,
    currency: str = "",
    progress: ProgressReport | None = None,
) -> LedgerImport:
    """Import a file from disk at once (the command line): record it, then run it."""
    with path.open("rb") as handle:
        checksum = file_checksum(handle=handle)
    ledger_import = LedgerImport(
        file_name=path.name[:255],
        checksum=checksum,
        size=path.stat().st_size,
        created_by=user,
        mapping=mapping or {},
        date_format=date_format,
        valid_only=valid_only,
        currency=_file_currency(currency),
        status=LedgerImport.Status.QUEUED,
    )
    ledger_import.full_clean()
    ledger_import.save()
    return ledger_import_run(ledger_import=ledger_import, path=path, progress=progress)


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
    """
    started = time.monotonic()
    report = progress or (lambda stage, done, total: None)
    path = Path(path or ledger_import.file.path)
    _record(
        ledger_import,
        status=LedgerImport.Status.RUNNING,
        stage=LedgerImport.Stage.READING,
        started_at=timezone.now(),
        message="",
    )
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
        ledger_import.customers_created = created
        ledger_import.rows_imported = inserted
        ledger_import.rows_duplicate = len(lines) - inserted
        if "currency" in lines.columns:
            ledger_import.rows_converted = int((lines["currency"] != "").sum())
        _finish(ledger_import, started, status=LedgerImport.Status.DONE)
        if inserted:
            # New revenue: tiers and signals are recomputed on a worker straight away.
            metrics_recompute_request(
                trigger=MetricsRun.Trigger.IMPORT, started_by_id=ledger_import.created_by_id
            )
    except parsing.LedgerFileError as exc:
        ledger_import.message = file_error_message(exc)
        _finish(ledger_import, started, status=LedgerImport.Status.FAILED)
    except Exception as exc:
        logger.exception("Ledger import %s failed", ledger_import.pk)
        ledger_import.message = f"{type(exc).__name__}: {exc}"
        _finish(ledger_import, started, status=LedgerImport.Status.FAILED)
        raise
    return ledger_import


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


def _file_currency(currency: str) -> str:
    """The file's currency as stored: blank when it is the company's own."""
    currency = (currency or "").strip().upper()
    return "" if currency == CompanySettings.load().currency else currency


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


def _record(ledger_import: LedgerImport, **changes) -> None:
    for name, value in changes.items():
        setattr(ledger_import, name, value)
    ledger_import.save(update_fields=list(changes))


def _finish(ledger_import: LedgerImport, started: float, *, status: str) -> None:
    ledger_import.status = status
    ledger_import.stage = ""
    ledger_import.finished_at = timezone.now()
    ledger_import.duration = round(time.monotonic() - started, 3)
    ledger_import.save()


def ledger_mapping_save(
    *, name: str, columns: list[str], mapping: dict[str, str], date_format: str, user=None
) -> LedgerMapping:
    """Save (or replace) a named mapping for files laid out like this one."""
    ledger_mapping = LedgerMapping.objects.filter(name=name).first() or LedgerMapping(name=name)
    ledger_mapping.columns = list(columns)
    ledger_mapping.mapping = dict(mapping)
    ledger_mapping.date_format = date_format
    ledger_mapping.created_by = ledger_mapping.created_by or user
    ledger_mapping.full_clean()
    ledger_mapping.save()
    return ledger_mapping
