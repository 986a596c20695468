"""The words for the codes that ledger parsing reports, in the user's language."""

from django.utils.translation import gettext_lazy as _

from .parsing import LedgerFileError

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
    "currency": _("currency differs from the company currency"),
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


def file_error_message(error: LedgerFileError) -> str:
    """A sentence saying why the file cannot be imported."""
    detail = error.detail
    if error.code == "empty":
        return str(_("The file is empty."))
    if error.code == "binary":
        return str(_("This is not a CSV or Excel file (it looks like a %(kind)s).")) % {
            "kind": detail
        }
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


def mapping_problems_message(problems: list[tuple[str, str]]) -> str:
    parts = []
    for code, field in problems:
        label = FIELD_LABELS.get(field, field)
        if code == "missing_amount":
            parts.append(str(_("map either an amount, or a quantity and a unit price")))
        elif code == "unknown_column":
            parts.append(
                str(_("%(field)s is mapped to a column the file does not have")) % {"field": label}
            )
        else:
            parts.append(str(_("%(field)s must be mapped")) % {"field": label})
    return str(_("The mapping is incomplete: %(problems)s.")) % {"problems": "; ".join(parts)}


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
