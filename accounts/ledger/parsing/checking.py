"""Validating every row of a ledger at once: the valid lines with their keys, and the errors."""

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .arrow import arrow_matches, arrow_strings
from .currency import (
    Rates,
    amounts_convert,
    currency_codes_valid,
    line_currencies,
    rate_months,
    rates_find,
)
from .dates import dates_parse
from .fields import FIELDS, MAX_AMOUNT, MAX_LENGTH, MAX_QUANTITY, NUMBER_FIELDS, STORED_DECIMALS
from .mapping import mapping_problems
from .numbers import number_columns_read, number_problems
from .table import CheckedLedger, LedgerFileError, LedgerTable

# Pins the line-key hash so that keys stay the same from one run (and release) to the next.
HASH_KEY = "kaism-ledger-v1!"

ERROR_VALUE_CHARS = 200


def _quoted_value(value):
    if not isinstance(value, str):
        return value
    if len(value) > ERROR_VALUE_CHARS:
        value = value[:ERROR_VALUE_CHARS] + "…"
    return value.replace("\x00", "\u2400")  # shown as ␀: no database keeps a NUL in text


_INTEGER_WRITTEN_AS_FLOAT = r"^\d+\.0+$"


def customer_codes_normalise(codes: pd.Series) -> tuple[pd.Series, bool]:
    """Codes that are all whole numbers written as 14646.0 (a spreadsheet saved as CSV)
    become 14646, as the same sheet read from Excel gives; True when that happened."""
    filled = codes[codes != ""]
    if filled.empty:
        return codes, False
    array = arrow_strings(filled)
    floats = arrow_matches(array, _INTEGER_WRITTEN_AS_FLOAT)
    if not floats.any() or not (floats | arrow_matches(array, r"^\d+$")).all():
        return codes, False
    return codes.str.replace(r"\.0+$", "", regex=True), True


class RowErrors:
    """Collects (row position, field, code) masks; the values are picked at the end.

    `fields` orders a row's errors in the report (by default the ledger's fields).
    """

    def __init__(self, size: int, ignore: np.ndarray, *, fields: tuple[str, ...] = FIELDS):
        self.bad = np.zeros(size, dtype=bool)
        self.ignore = ignore
        self.fields = fields
        self.found: list[tuple[np.ndarray, str, str, np.ndarray | None]] = []

    def add(self, mask: np.ndarray, field: str, code: str, *, shown=None) -> None:
        """`shown`: what the report quotes per row, where the cell alone does not say it."""
        mask = mask & ~self.ignore
        if mask.any():
            positions = np.flatnonzero(mask)
            self.found.append((positions, field, code, None if shown is None else shown[positions]))
            self.bad |= mask

    def frame(self, table: LedgerTable, mapping: dict[str, str]) -> pd.DataFrame:
        parts = []
        index = table.frame.index.to_numpy()
        for positions, field, code, shown in self.found:
            column = mapping.get(field, "")
            if shown is not None:
                values = shown
            elif column:
                values = table.frame[column].to_numpy(dtype=object)[positions]
            else:
                values = np.full(len(positions), "", dtype=object)
            # A report quotes the bad value, not a megabyte of it.
            values = np.array([_quoted_value(value) for value in values], dtype=object)
            parts.append(
                pd.DataFrame(
                    {
                        "row": index[positions] + table.first_row,
                        "field": field,
                        "column": column or field,
                        "value": values,
                        "code": code,
                    }
                )
            )
        if not parts:
            return pd.DataFrame(
                {name: pd.Series(dtype=object) for name in ("row", "field", "column", "value")}
                | {"code": pd.Series(dtype=object)}
            )
        errors = pd.concat(parts, ignore_index=True)
        order = {field: position for position, field in enumerate(self.fields)}
        errors["_order"] = errors["field"].map(order)
        return errors.sort_values(["row", "_order"], kind="stable").drop(columns="_order")


def text_errors_add(
    errors: RowErrors,
    texts: dict[str, pd.Series],
    *,
    may_hold_nul: bool,
    max_length: dict[str, int],
) -> None:
    """A NUL byte in any cell (unless the file was seen to hold none), and text longer
    than its field's `max_length`."""
    for field, values in texts.items() if may_hold_nul else ():
        # PostgreSQL refuses a NUL in text, and the programs reading SQLite cut it there.
        errors.add(values.str.contains("\x00", regex=False).to_numpy(), field, "nul_byte")
    for field, limit in max_length.items():
        if field in texts:
            errors.add((texts[field].str.len() > limit).to_numpy(), field, "too_long")


def ledger_check(
    table: LedgerTable,
    *,
    mapping: dict[str, str],
    date_order: str,
    today: dt.date,
    company_currency: str = "",
    file_currency: str = "",
    rates: Rates | None = None,
) -> CheckedLedger:
    """Validate every row at once; return the valid lines (with keys) and the errors.

    With `company_currency`, a line in another currency (its own cell, else `file_currency`)
    is converted at its month's rate from `rates`, or refused where there is none.
    """
    problems = mapping_problems(mapping, table.columns)
    if problems:
        raise LedgerFileError("mapping", ", ".join(f"{code}:{field}" for code, field in problems))
    frame = table.frame
    size = len(frame)
    texts = {field: frame[column].str.strip() for field, column in mapping.items()}
    filled = {field: (values != "").to_numpy() for field, values in texts.items()}
    nothing = np.zeros(size, dtype=bool)

    texts["customer_code"], _ = customer_codes_normalise(texts["customer_code"])
    no_customer = ~filled["customer_code"]
    errors = RowErrors(size, ignore=no_customer)
    text_errors_add(errors, texts, may_hold_nul=table.may_hold_nul, max_length=MAX_LENGTH)
    errors.add(~filled["invoice_number"], "invoice_number", "missing")

    dates = {}
    for field in ("invoice_date", "due_date", "paid_date"):
        if field in texts:
            dates[field] = dates_parse(texts[field], order=date_order)
            errors.add(filled[field] & np.isnat(dates[field]), field, "not_a_date")
        else:
            dates[field] = np.full(size, np.datetime64("NaT"), dtype="datetime64[D]")
    errors.add(~filled["invoice_date"], "invoice_date", "missing")
    errors.add(dates["invoice_date"] > np.datetime64(today, "D"), "invoice_date", "future_date")

    readings = number_columns_read(
        {field: texts[field] for field in NUMBER_FIELDS if field in texts},
        excel=table.kind == "excel",
    )
    numbers = {}
    for field in NUMBER_FIELDS:
        if field not in readings:
            numbers[field] = np.full(size, np.nan)
            continue
        for code, mask in number_problems(field, readings[field]).items():
            errors.add(mask, field, code)
        numbers[field] = readings[field].numbers
    amount = np.round(numbers["amount"], STORED_DECIMALS["amount"])
    if "quantity" in texts and "unit_price" in texts:
        missing = np.isnan(amount)
        product = numbers["quantity"][missing] * numbers["unit_price"][missing]
        amount[missing] = np.round(product, STORED_DECIMALS["amount"])
    money_field = "amount" if "amount" in texts else "unit_price"
    money_given = filled.get("amount", nothing) | (
        filled.get("quantity", nothing) & filled.get("unit_price", nothing)
    )
    errors.add(~money_given & np.isnan(amount), money_field, "missing")
    if "amount" not in texts:
        errors.add(~filled["quantity"], "quantity", "missing")
    errors.add(np.abs(amount) >= MAX_AMOUNT, money_field, "too_large")
    errors.add(np.abs(numbers["cost"]) >= MAX_AMOUNT, "cost", "too_large")
    errors.add(np.abs(numbers["quantity"]) >= MAX_QUANTITY, "quantity", "too_large")

    foreign, cost = nothing, np.round(numbers["cost"], STORED_DECIMALS["cost"])
    converted = {"amount": amount, "cost": cost}
    if company_currency:
        currencies = line_currencies(
            texts.get("currency"), size=size, default=file_currency or company_currency
        )
        known = currency_codes_valid(currencies)
        errors.add(~known, "currency", "currency_code", shown=currencies)
        foreign = known & (currencies != company_currency.upper())
        months = rate_months(dates["invoice_date"])
        # Looked up for the foreign lines only: most ledgers have none, and this is per line.
        rate = np.full(size, None, dtype=object)
        if foreign.any():
            rate[foreign] = rates_find(currencies[foreign], months[foreign], rates=rates or {})
        no_rate = foreign & (months != "") & np.equal(rate, None)
        errors.add(no_rate, "currency", "no_rate", shown=currencies + " " + months)
        convertible = foreign & ~no_rate & (months != "")
        if convertible.any():
            converted = {field: values.copy() for field, values in converted.items()}
            for field, values in converted.items():
                values[convertible] = amounts_convert(
                    values[convertible], rate[convertible], field=field
                )
            too_large = np.abs(converted["amount"]) >= MAX_AMOUNT
            errors.add(convertible & too_large, money_field, "too_large_converted")

    invoice = texts["invoice_number"]
    if "line_number" in texts:
        line_number = texts["line_number"].str.replace(r"\.0+$", "", regex=True)
        errors.add(~filled["line_number"], "line_number", "missing")
        twice = pd.DataFrame({"i": invoice, "n": line_number}).duplicated().to_numpy()
        errors.add(twice & filled["line_number"], "line_number", "duplicate_line")

    storable = np.abs(np.nan_to_num(amount, nan=0.0)) < MAX_AMOUNT
    valid = ~errors.bad & ~no_customer
    empty = pd.Series("", index=frame.index, dtype="str")
    lines = pd.DataFrame(
        {
            "row": frame.index.to_numpy()[valid] + table.first_row,
            "invoice_number": invoice[valid].reset_index(drop=True),
            "invoice_date": dates["invoice_date"][valid],
            "customer_code": texts["customer_code"][valid].reset_index(drop=True),
            "customer_name": texts.get("customer_name", empty)[valid].reset_index(drop=True),
            "product_code": texts.get("product_code", empty)[valid].reset_index(drop=True),
            "quantity": np.round(numbers["quantity"][valid], STORED_DECIMALS["quantity"]),
            "amount": amount[valid],
            "cost": cost[valid],
            "due_date": dates["due_date"][valid],
            "paid_date": dates["paid_date"][valid],
        }
    )
    if "line_number" in texts:
        lines.insert(2, "line_key", line_number[valid].to_numpy())
    else:
        # Keyed on the amount as written; a converted line's key also names its currency.
        keys = line_keys_hash(lines)
        if foreign[valid].any():
            keys = np.where(foreign[valid], keys + "-" + currencies[valid], keys)
        lines.insert(2, "line_key", keys)
    if foreign[valid].any():
        # The company's currency from here on; the line keeps what it was written in.
        lines["currency"] = np.where(foreign[valid], currencies[valid], "")
        lines["original_amount"] = np.where(foreign[valid], amount[valid], np.nan)
        lines["exchange_rate"] = np.where(foreign[valid], rate[valid], None)
        lines["amount"], lines["cost"] = converted["amount"][valid], converted["cost"][valid]
    return CheckedLedger(
        lines=lines,
        errors=errors.frame(table, mapping),
        rows_total=size,
        rows_invalid=int(errors.bad.sum()),
        rows_skipped=int(no_customer.sum()),
        # What the skipped rows add up to, of the amounts that could have been stored.
        skipped_amount=float(np.nansum(np.where(storable, amount, np.nan)[no_customer])),
    )


def line_keys_hash(lines: pd.DataFrame) -> np.ndarray:
    """A key from the line's ledger fields plus its occurrence among identical lines.

    Free text (descriptions) is left out: it differs between two exports of one ledger.
    Identical lines of one invoice are all revenue, so each gets its own occurrence number.
    """
    if lines.empty:
        return np.array([], dtype=object)
    fields = pd.DataFrame(
        {
            "invoice": lines["invoice_number"],
            "date": lines["invoice_date"].to_numpy("datetime64[D]").astype(np.int64),
            "customer": lines["customer_code"],
            "product": lines["product_code"],
            "quantity": _fixed(lines["quantity"], 1000),
            "amount": _fixed(lines["amount"], 100),
        }
    )
    digest = pd.util.hash_pandas_object(fields, index=False, hash_key=HASH_KEY).to_numpy()
    occurrence = np.zeros(len(digest), dtype=np.int64)
    repeated = pd.Series(digest).duplicated(keep=False).to_numpy()
    if repeated.any():  # few lines repeat: count occurrences among those only
        same = pd.Series(digest[repeated])
        occurrence[repeated] = same.groupby(same.to_numpy()).cumcount().to_numpy()
    keys = pc.binary_join_element_wise(
        "h", pa.array(digest).cast(pa.string()), "-", pa.array(occurrence).cast(pa.string()), ""
    )
    return keys.to_numpy(zero_copy_only=False)


def _fixed(values: pd.Series, scale: int) -> np.ndarray:
    """Decimal values as whole numbers of their smallest unit (blank as a sentinel)."""
    numbers = values.to_numpy(dtype=np.float64)
    return np.where(np.isnan(numbers), np.iinfo(np.int64).min, np.round(numbers * scale)).astype(
        np.int64
    )
