"""The words for the codes that ledger parsing reports, in the user's language."""

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .parsing import LedgerFileError, LedgerLimitError

FIELD_LABELS = {
    "invoice_number": _("Invoice number"),
    "line_number": _("Line number"),
    "invoice_date": _("Invoice date"),
    "customer_code": _("Customer code"),
    "customer_name": _("Customer name"),
    "product_code": _("Product code"),
    "quantity": _("Quantity"),
    "unit_price": _("Unit price"),
    "amount": _("Amount"),
    "cost": _("Cost"),
    "currency": _("Currency"),
    "due_date": _("Due date"),
    "paid_date": _("Paid date"),
}

ERROR_MESSAGES = {
    "missing": _("missing value"),
    "not_a_date": _("not a date in the chosen date format"),
    "future_date": _("date in the future"),
    "not_a_number": _("not a number"),
    "too_long": _("too long"),
    "too_large": _("number too large"),
    "duplicate_line": _("line number repeated within the invoice"),
    "currency_code": _("not a currency code: three letters (ISO 4217), such as USD"),
    "no_rate": _(
        "no exchange rate for this currency and month: an admin adds it under Exchange rates"
    ),
    "too_large_converted": _("converted into the company's currency, the amount is too large"),
    "comma_in_point_column": _("written with a decimal comma while this column uses a point"),
    "point_in_comma_column": _("written with a decimal point while this column uses a comma"),
    "ambiguous_mark": _(
        "could be read with a decimal point or a decimal comma: write it without thousands "
        "separators"
    ),
    "too_precise": _("more decimals than the ledger keeps (4 for amounts, 3 for quantities)"),
    "too_many_digits": _("more than 15 significant digits: cannot be stored exactly"),
    "nul_byte": _("contains a NUL byte (binary data)"),
}

DECIMAL_MARK_LABELS = {
    "point": _("decimal point (1,234.50)"),
    "comma": _("decimal comma (1.234,50)"),
}

DATE_FORMAT_LABELS = {
    "dmy": _("Day first (31/12/2024)"),
    "mdy": _("Month first (12/31/2024)"),
    "ymd": _("Year first (2024-12-31)"),
}


def error_message(code: str) -> str:
    return str(ERROR_MESSAGES.get(code, code))


# A file past one of the limits (kamapp/settings.py, LEDGER_MAX_*): the most allowed, what
# the file holds (as far as it was read before being refused), and what to do. Counts and
# sizes are filled in with the user's number formats.
LIMIT_MESSAGES = {
    "too_large": _(
        "The file is %(found)s; at most %(limit)s can be imported. Split it into smaller "
        "files, or leave out the columns the ledger does not need."
    ),
    "too_many_rows": _(
        "The file has more than %(limit)s rows (at least %(found)s). Split it into smaller "
        "files, for example one per year."
    ),
    "too_many_columns": _(
        "The file has more than %(limit)s columns (at least %(found)s). Leave out the "
        "columns the ledger does not need."
    ),
    "too_many_cells": _(
        "The file has more than %(limit)s cells, counting rows times columns (at least "
        "%(found)s). Leave out the columns the ledger does not need, or split it into "
        "smaller files."
    ),
    "xlsx_too_large": _(
        "The workbook unpacks to %(found)s; at most %(limit)s can be read. Save the sheet "
        "as CSV, or split it into smaller workbooks."
    ),
    "xlsx_compression": _(
        "A part of the workbook unpacks to %(found)s times its packed size, where "
        "spreadsheets stay under %(limit)s: it is not read, as it could fill the server's "
        "memory. Save the sheet again from your spreadsheet program, or as CSV."
    ),
}
LIMIT_SIZES = {"too_large", "xlsx_too_large"}  # in bytes, shown as 100.0 MB


def limit_message(code: str, *, found: int, limit: int) -> str:
    if code in LIMIT_SIZES:
        words = {"found": filesizeformat(found), "limit": filesizeformat(limit)}
    else:
        words = {
            "found": number_format(found, force_grouping=True),
            "limit": number_format(limit, force_grouping=True),
        }
    return str(LIMIT_MESSAGES[code]) % words


IMPORT_INTERRUPTED = _(
    "The import stopped before it finished (the worker running it was stopped or ran out "
    "of memory), so it was not run again. Check the file and import it again: lines "
    "already stored are never doubled."
)


def file_error_message(error: LedgerFileError) -> str:
    """A sentence saying why the file cannot be imported."""
    if isinstance(error, LedgerLimitError) and error.code in LIMIT_MESSAGES:
        return limit_message(error.code, found=error.found, limit=error.limit)
    detail = error.detail
    if error.code == "empty":
        return str(_("The file is empty."))
    if error.code == "binary":
        return str(_("This is not a CSV or Excel file (it looks like a %(kind)s).")) % {
            "kind": detail
        }
    if error.code == "excel_format":
        return str(
            _(
                "Only .xlsx workbooks can be read: save this file as an Excel Workbook "
                "(.xlsx) or as CSV, and upload that."
            )
        )
    if error.code == "no_rows":
        return str(_("The file has no ledger rows."))
    if error.code == "unreadable":
        return str(_("The file could not be read as CSV or Excel (%(detail)s).")) % {
            "detail": detail
        }
    if error.code == "no_columns":
        return str(
            _(
                "No column of this file looks like a sales-ledger column (invoice number, "
                "date, customer, amount). Columns found: %(columns)s."
            )
        ) % {"columns": detail}
    if error.code == "mapping":
        return mapping_problems_message(
            [tuple(item.split(":", 1)) for item in detail.split(", ") if ":" in item]
        )
    return str(error)


def mapping_problems_message(
    problems: list[tuple[str, str]],
    suggestions: dict[str, list[str]] | None = None,
    *,
    labels: dict | None = None,
) -> str:
    """What is wrong with a mapping; a missing field names the file's closest columns.

    `labels` names the fields of another kind of file (by default the ledger's)."""
    labels = FIELD_LABELS if labels is None else labels
    parts = []
    for code, field in problems:
        label = labels.get(field, field)
        if code == "missing_amount":
            part = str(_("map either an amount, or a quantity and a unit price"))
        elif code == "unknown_column":
            part = str(_("%(field)s is mapped to a column the file does not have")) % {
                "field": label
            }
        else:
            part = str(_("%(field)s must be mapped")) % {"field": label}
        if code != "unknown_column" and (suggestions or {}).get(field):
            part += " " + suggestion_message(suggestions[field])
        parts.append(part)
    return str(_("The mapping is incomplete: %(problems)s.")) % {"problems": "; ".join(parts)}


def suggestion_message(columns: list[str]) -> str:
    """The file's columns closest to a missing field, quoted, best first."""
    quoted = ", ".join(f"“{column}”" for column in columns)
    return str(_("(closest columns of the file: %(columns)s)")) % {"columns": quoted}


def not_queued_message() -> str:
    return str(
        _(
            "Not queued: the background job service could not be reached, so nothing was "
            "imported. Retry once it is back."
        )
    )


def stale_message(*, minutes: int) -> str:
    return str(
        _(
            "Stopped: no progress for %(minutes)s minutes, so its worker is taken to have "
            "stopped. Nothing of this import counts in the ledger; retry to run it again."
        )
    ) % {"minutes": minutes}


def recompute_not_queued_message() -> str:
    return str(
        _(
            "Imported, but the recompute of the metrics and tiers could not be queued: start "
            "it from the dashboard once the background job service is back."
        )
    )


def retry_refused_message(ledger_import) -> str:
    """Why an import cannot be run again: done, under way, or never confirmed."""
    status = ledger_import.status
    if status == "done":
        return str(_("This import is done: its lines are in the ledger already."))
    if status in ("queued", "running"):
        return str(_("This import is still under way."))
    return str(_("This import's mapping was never confirmed: there is nothing to retry."))


def delete_refused_message(ledger_import) -> str:
    """Why an import cannot be deleted: its lines are stored, or it is under way."""
    if ledger_import.status == "done":
        return str(
            _(
                "This import is done: its lines are in the ledger, so it stays on record. "
                "Only abandoned, failed or rejected imports can be deleted."
            )
        )
    return str(_("This import is under way: it can be deleted once it has failed or stopped."))
