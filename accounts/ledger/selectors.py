"""Reads for the ledger import pages: imports, their progress, previews, saved mappings."""

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db.models import QuerySet

from accounts.models import CurrencyRate, LedgerImport, LedgerMapping

from . import parsing
from .limits import ledger_limits

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 10
DETECTION_ROWS = 1000


def currency_rates() -> dict[tuple[str, str], Decimal]:
    """Every exchange rate admins keep, by (currency, "YYYY-MM"), for the ledger check."""
    return {
        (currency, f"{month:%Y-%m}"): rate
        for currency, month, rate in CurrencyRate.objects.values_list("currency", "month", "rate")
    }


def ledger_import_list(*, limit: int = 50) -> QuerySet:
    return LedgerImport.objects.select_related("created_by")[:limit]


def ledger_import_get(*, pk: int) -> LedgerImport:
    return LedgerImport.objects.select_related("created_by").get(pk=pk)


def ledger_import_earlier(*, ledger_import: LedgerImport) -> LedgerImport | None:
    """The latest import that finished with this same file (same SHA-256), if any."""
    earlier = LedgerImport.objects.filter(
        checksum=ledger_import.checksum, status=LedgerImport.Status.DONE
    ).exclude(pk=ledger_import.pk)
    return earlier.select_related("created_by").order_by("-finished_at", "-pk").first()


@dataclass
class ImportProgress:
    stage: str
    total: int
    read: int
    validated: int
    stored: int
    percent: int


# Share of the bar for each stage: reading and validating are quick, storing is long.
STAGE_SPAN = {"reading": (0, 10), "validating": (10, 30), "storing": (30, 100)}


def ledger_import_progress(*, ledger_import: LedgerImport) -> ImportProgress:
    """Where a running import is: stages from the record, stored lines from the worker."""
    stage, done, total = ledger_import.stage or "reading", 0, ledger_import.rows_total
    reported = _task_progress(ledger_import.task_id)
    if reported and reported.get("stage") == stage:
        done, total = int(reported.get("done", 0)), int(reported.get("total", 0)) or total
    low, high = STAGE_SPAN.get(stage, (0, 10))
    fraction = done / total if total else 0
    passed = list(STAGE_SPAN).index(stage) if stage in STAGE_SPAN else 0
    return ImportProgress(
        stage=stage,
        total=ledger_import.rows_total,
        read=ledger_import.rows_total if passed >= 1 else 0,
        validated=ledger_import.rows_total if passed >= 2 else (done if passed == 1 else 0),
        stored=done if stage == "storing" else 0,
        percent=int(low + (high - low) * min(fraction, 1)),
    )


def _task_progress(task_id: str) -> dict | None:
    from celery import current_app
    from celery.result import AsyncResult

    if not task_id or current_app.conf.task_always_eager:  # eager runs store no results
        return None
    try:
        result = AsyncResult(task_id)
        return result.info if result.state == "PROGRESS" and isinstance(result.info, dict) else None
    except Exception:  # the result backend is a nicety here; the record still shows stages
        logger.warning("No progress from task %s", task_id, exc_info=True)
        return None


@dataclass
class ImportPreview:
    columns: list[str]
    rows: list[list[str]]
    first_row: int
    mapping: dict[str, str]
    date_format: str
    date_format_ambiguous: bool
    saved_mapping: LedgerMapping | None = None
    stored: list[parsing.ColumnPreview] = field(default_factory=list)
    sample_rows: int = 0
    # Required fields the mapping lacks -> the file's closest columns, best first.
    suggestions: dict[str, list[str]] = field(default_factory=dict)


def ledger_import_preview(
    *, ledger_import: LedgerImport, mapping: dict[str, str] | None = None, date_format: str = ""
) -> ImportPreview:
    """The first rows of the file, the guessed (or saved, or given) mapping and date order.

    Only the first rows are read, so a page never waits on a whole file: the worker reads
    it. Raises parsing.LedgerFileError when the file is not a ledger at all, or is past one
    of the limits (parsing.LedgerLimitError).
    """
    table = parsing.ledger_read(
        Path(ledger_import.file.path), preview_rows=DETECTION_ROWS, limits=ledger_limits()
    )
    columns = table.columns
    saved = ledger_mapping_for_columns(columns=columns)
    if mapping is None:
        mapping = dict(saved.mapping) if saved else parsing.mapping_guess(columns)
        mapping = {name: column for name, column in mapping.items() if column in columns}
    ambiguous = False
    date_column = mapping.get("invoice_date")
    if not date_format:
        if saved and saved.date_format:
            date_format = saved.date_format
        elif date_column:
            date_format, ambiguous = parsing.date_order_detect(table.frame[date_column])
        else:
            date_format = parsing.DateOrder.DMY
    head = table.frame.head(PREVIEW_ROWS)
    stored = parsing.ledger_preview(
        table, mapping=mapping, date_order=str(date_format), rows=PREVIEW_ROWS
    )
    return ImportPreview(
        columns=columns,
        rows=head.values.tolist(),
        first_row=table.first_row + int(head.index[0]) if len(head) else table.first_row,
        mapping=mapping,
        date_format=str(date_format),
        date_format_ambiguous=ambiguous,
        saved_mapping=saved,
        stored=stored,
        sample_rows=len(table.frame),
        suggestions=parsing.mapping_suggestions(mapping, columns),
    )


def ledger_file_columns(*, path: Path) -> list[str]:
    """The header of a ledger file on disk, read from its first rows as the run reads it.

    Raises parsing.LedgerFileError when the file is not a ledger or is past a limit.
    """
    return parsing.ledger_read(path, preview_rows=DETECTION_ROWS, limits=ledger_limits()).columns


def ledger_mapping_for_columns(*, columns: list[str]) -> LedgerMapping | None:
    """The most recent saved mapping made for a file with exactly these columns."""
    wanted = sorted(columns)
    for ledger_mapping in LedgerMapping.objects.order_by("-created_at"):
        if sorted(ledger_mapping.columns) == wanted:
            return ledger_mapping
    return None
