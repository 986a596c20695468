"""Reading and checking sales-ledger files with pandas and pyarrow (no Django here).

Every step works on whole columns: a million lines are read, parsed, validated and keyed
without a Python loop per line. Errors are reported as codes; the Django side words them.
"""

import csv
import datetime as dt
import mmap
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# The ledger fields, in the order the mapping form shows them.
FIELDS = (
    "invoice_number",
    "line_number",
    "invoice_date",
    "customer_code",
    "customer_name",
    "product_code",
    "quantity",
    "unit_price",
    "amount",
    "cost",
    "currency",
    "due_date",
    "paid_date",
)
REQUIRED_FIELDS = ("invoice_number", "invoice_date", "customer_code")

# Normalised header names (lower case, letters and digits only), English and Indonesian.
# A field's first aliases win when two fields could claim the same column.
ALIASES = {
    "invoice_number": (
        "invoicenumber", "invoiceno", "invoicenum", "invoiceid", "invoice", "invno", "inv",
        "docno", "documentnumber", "documentno", "billno", "nofaktur", "nomorfaktur",
        "fakturno", "faktur", "noinvoice", "nomorinvoice", "nonota", "nomornota", "nota",
        "nobukti", "bukti",
    ),
    "line_number": (
        "linenumber", "lineno", "linenum", "line", "itemno", "itemnumber", "seq", "sequence",
        "nobaris", "baris", "nourut", "urut", "noitem",
    ),
    "invoice_date": (
        "invoicedate", "date", "docdate", "documentdate", "transactiondate", "postingdate",
        "tanggal", "tgl", "tanggalfaktur", "tglfaktur", "tanggalinvoice", "tglinvoice",
        "tanggaltransaksi", "tgltransaksi",
    ),
    "customer_code": (
        "customercode", "customerid", "customerno", "customernumber", "customer", "custcode",
        "custid", "custno", "clientcode", "clientid", "accountcode", "kodepelanggan",
        "kdpelanggan", "idpelanggan", "nopelanggan", "pelanggan", "kodecustomer",
        "kodekonsumen", "konsumen",
    ),
    "customer_name": (
        "customername", "custname", "clientname", "client", "namapelanggan", "nmpelanggan",
        "namacustomer", "namakonsumen", "nama",
    ),
    "product_code": (
        "productcode", "productid", "product", "stockcode", "itemcode", "sku", "article",
        "kodeproduk", "produk", "kodebarang", "kdbarang", "barang", "kodeitem",
    ),
    "quantity": (
        "quantity", "qty", "qtty", "units", "kuantitas", "kuantiti", "banyaknya", "jumlah",
        "jumlahbarang", "jml", "qtyjual",
    ),
    "unit_price": (
        "unitprice", "price", "priceeach", "harga", "hargasatuan", "hargaunit", "hrgsatuan",
        "hargajual",
    ),
    "amount": (
        "amount", "lineamount", "linetotal", "total", "netamount", "value", "sales",
        "revenue", "nilai", "totalharga", "jumlahharga", "subtotal", "penjualan", "omzet",
        "nilaipenjualan",
    ),
    "cost": ("cost", "costamount", "totalcost", "cogs", "hpp", "hargapokok", "biaya", "modal"),
    "currency": ("currency", "curr", "ccy", "matauang", "valuta"),
    "due_date": (
        "duedate", "due", "paymentdue", "jatuhtempo", "tanggaljatuhtempo", "tgljatuhtempo",
    ),
    "paid_date": (
        "paiddate", "datepaid", "paymentdate", "tanggalbayar", "tglbayar", "tanggalpembayaran",
        "tanggallunas", "tgllunas",
    ),
}  # fmt: skip

# Column limits of the ledger tables.
MAX_LENGTH = {
    "invoice_number": 64,
    "line_number": 64,
    "customer_code": 50,
    "customer_name": 200,
    "product_code": 64,
}
MAX_AMOUNT = 1e14  # amount and cost: 16 digits, 2 decimals
MAX_QUANTITY = 1e11  # 14 digits, 3 decimals
# Pins the line-key hash so that keys stay the same from one run (and release) to the next.
HASH_KEY = "kaism-ledger-v1!"
SAMPLE_BYTES = 64 * 1024
HEADER_SEARCH_ROWS = 20
DELIMITERS = (",", ";", "\t", "|")
BINARY_SIGNATURES = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"RIFF": "RIFF media file",
    b"\x1f\x8b": "gzip archive",
}
EXCEL_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


class DateOrder(StrEnum):
    DMY = "dmy"
    MDY = "mdy"
    YMD = "ymd"


class LedgerFileError(Exception):
    """The file cannot be read as a ledger; `code` says why (worded by the caller)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass
class LedgerTable:
    """A file's cells as strings under its header; `first_row` is the file row of index 0."""

    frame: pd.DataFrame
    first_row: int
    kind: str
    encoding: str = ""
    delimiter: str = ""

    @property
    def columns(self) -> list[str]:
        return [str(column) for column in self.frame.columns]


@dataclass
class CheckedLedger:
    """The valid lines with their keys, and one error row per bad cell."""

    lines: pd.DataFrame
    errors: pd.DataFrame
    rows_total: int
    rows_invalid: int
    rows_skipped: int
    skipped_amount: float


# --- Reading ----------------------------------------------------------------------------


def ledger_read(path: Path | str, *, preview_rows: int | None = None) -> LedgerTable:
    """Read a CSV (any delimiter; UTF-8, BOM or Latin-1) or Excel file as strings."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    if not head.strip():
        raise LedgerFileError("empty")
    if head.startswith(EXCEL_SIGNATURES):
        table = _excel_read(path, preview_rows=preview_rows)
    else:
        for signature, kind in BINARY_SIGNATURES.items():
            if head.startswith(signature):
                raise LedgerFileError("binary", kind)
        if b"\x00" in head:
            raise LedgerFileError("binary", "binary file")
        table = _csv_read(path, head, preview_rows=preview_rows)
    if table.frame.empty:
        raise LedgerFileError("no_rows")
    return table


def _csv_read(path: Path, head: bytes, *, preview_rows: int | None) -> LedgerTable:
    if len(head) == SAMPLE_BYTES:  # do not judge the encoding on a character cut in two
        head = head[: head.rfind(b"\n") + 1] or head
    try:
        sample, encoding = head.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        sample, encoding = head.decode("latin-1"), "latin-1"
    delimiter, header_index = _csv_layout(sample.splitlines()[: HEADER_SEARCH_ROWS + 1])
    options = {
        "sep": delimiter,
        "dtype": str,
        "keep_default_na": False,
        "skiprows": header_index,
        "header": 0,
    }
    if preview_rows is not None or _has_blank_lines(path):
        # The C reader keeps blank lines (so row numbers stay true) and can stop early.
        options.update(engine="c", skip_blank_lines=False, nrows=preview_rows)
    else:
        options.update(engine="pyarrow")
    try:
        frame = _csv_frame(path, encoding=encoding, options=options)
    except UnicodeDecodeError:
        encoding = "latin-1"
        frame = _csv_frame(path, encoding=encoding, options=options)
    frame.columns = [str(column).strip() for column in frame.columns]
    return LedgerTable(
        frame=_drop_empty_rows(frame),
        first_row=header_index + 2,
        kind="csv",
        encoding=encoding,
        delimiter=delimiter,
    )


def _csv_frame(path: Path, *, encoding: str, options: dict) -> pd.DataFrame:
    try:
        return pd.read_csv(path, encoding=encoding, **options)
    except pd.errors.ParserError as exc:
        if "UTF8" in str(exc) or "utf-8" in str(exc):
            raise UnicodeDecodeError(encoding, b"", 0, 1, str(exc)) from exc
        raise LedgerFileError("unreadable", str(exc).splitlines()[0]) from exc
    except pd.errors.EmptyDataError as exc:
        raise LedgerFileError("no_rows") from exc


def _csv_layout(lines: list[str]) -> tuple[str, int]:
    """The delimiter and the header line: where the most cells name ledger fields."""
    best = (0, 0, ",", 0)  # (matches, columns, delimiter, header index)
    for delimiter in DELIMITERS:
        rows = list(csv.reader(lines, delimiter=delimiter))
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            candidate = (len(mapping_guess(row)), len(row), delimiter, index)
            if candidate[:2] > best[:2]:
                best = candidate
    matches, _columns, delimiter, index = best
    if matches == 0:  # nothing looks like a ledger header: take the first line as it is
        index = 0
    return delimiter, index


def _has_blank_lines(path: Path) -> bool:
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        end = len(m)
        while end and m[end - 1 : end] in (b"\r", b"\n"):
            end -= 1
        return m.find(b"\n\n", 0, end) >= 0 or m.find(b"\n\r\n", 0, end) >= 0


def _excel_read(path: Path, *, preview_rows: int | None) -> LedgerTable:
    try:
        raw = pd.read_excel(
            path,
            engine="calamine",
            dtype=str,
            header=None,
            keep_default_na=False,
            nrows=None if preview_rows is None else preview_rows + HEADER_SEARCH_ROWS,
        )
    except Exception as exc:  # calamine raises its own types for every kind of damage
        raise LedgerFileError("unreadable", str(exc)) from exc
    if raw.empty:
        raise LedgerFileError("no_rows")
    raw = raw.astype(str)
    top = raw.head(HEADER_SEARCH_ROWS).values.tolist()
    scores = [len(mapping_guess(row)) for row in top]
    header_index = int(np.argmax(scores)) if max(scores) else _first_filled_row(raw)
    header = [
        str(name).strip() or f"column {position + 1}"
        for position, name in enumerate(raw.iloc[header_index])
    ]
    frame = raw.iloc[header_index + 1 :].reset_index(drop=True)
    frame.columns = _unique_names(header)
    if preview_rows is not None:
        frame = frame.head(preview_rows)
    return LedgerTable(frame=_drop_empty_rows(frame), first_row=header_index + 2, kind="excel")


def _first_filled_row(raw: pd.DataFrame) -> int:
    filled = (raw != "").any(axis=1).to_numpy()
    return int(np.argmax(filled))


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}.{seen[name] - 1}")
    return unique


def _drop_empty_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop rows with no value at all, keeping the index (and so the row numbers)."""
    if frame.empty:
        return frame
    filled = np.zeros(len(frame), dtype=bool)
    for column in frame.columns:
        filled |= (frame[column] != "").to_numpy()
    return frame if filled.all() else frame[filled]


# --- Mapping ----------------------------------------------------------------------------


def header_normalise(name: object) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def mapping_guess(columns: list) -> dict[str, str]:
    """Field -> column, from English and Indonesian header names."""
    normalised = {str(column): header_normalise(column) for column in columns}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for field in FIELDS:  # exact names first
        for alias in ALIASES[field]:
            column = next((c for c, n in normalised.items() if n == alias and c not in used), None)
            if column is not None:
                mapping[field] = column
                used.add(column)
                break
    for column, name in normalised.items():  # then names that contain an alias
        if column in used or not name:
            continue
        candidates = [
            (len(alias), field)
            for field in FIELDS
            if field not in mapping
            for alias in ALIASES[field]
            if len(alias) >= 4 and alias in name
        ]
        if candidates:
            field = max(candidates)[1]
            mapping[field] = column
            used.add(column)
    return mapping


def mapping_problems(mapping: dict[str, str], columns: list[str]) -> list[tuple[str, str]]:
    """(code, field) pairs for what stops a mapping from describing a ledger."""
    problems = [("unknown_column", field) for field, col in mapping.items() if col not in columns]
    problems += [("missing_field", field) for field in REQUIRED_FIELDS if field not in mapping]
    if "amount" not in mapping and not {"quantity", "unit_price"} <= mapping.keys():
        problems.append(("missing_amount", "amount"))
    return problems


# --- Values -----------------------------------------------------------------------------

_DATE_PATTERN = r"^\s*(?P<a>\d{1,4})[-/. ](?P<b>\d{1,2})[-/. ](?P<c>\d{1,4})(?:[ T].*)?\s*$"
_NAMED_MONTH_FORMATS = ("%d-%b-%Y", "%d %b %Y", "%d-%b-%y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y")


def _date_parts(values: pd.Series, *, with_digits: bool = False) -> tuple[np.ndarray, ...]:
    """The three numbers of each numeric date (-1 where the value is not one), and with
    `with_digits` how many digits the first and last were written with."""
    parts = pc.extract_regex(pa.array(values, type=pa.large_string()), _DATE_PATTERN)
    numbers = tuple(
        pc.fill_null(pc.cast(pc.struct_field(parts, name), pa.int64()), -1).to_numpy()
        for name in ("a", "b", "c")
    )
    if not with_digits:
        return numbers
    digits = tuple(
        pc.fill_null(pc.utf8_length(pc.struct_field(parts, name)), 0).to_numpy()
        for name in ("a", "c")
    )
    return numbers + digits


def date_order_detect(values: pd.Series) -> tuple[DateOrder, bool]:
    """Day-first or month-first, from the data; True when the data cannot tell."""
    a, b, _c = _date_parts(values)
    numeric = (a >= 0) & (a <= 31)  # not year-first
    if not numeric.any():
        return DateOrder.YMD, False
    day_first = (a[numeric] > 12).any()
    month_first = (b[numeric] > 12).any()
    if month_first and not day_first:
        return DateOrder.MDY, False
    return DateOrder.DMY, not day_first


def dates_parse(values: pd.Series, *, order: str) -> np.ndarray:
    """Dates as datetime64[D] (NaT where a value is not a real date)."""
    if "%" in order:  # an explicit format from the command line
        simple = date_order_from_format(order)
        if simple is None:
            return _formatted_dates(values, date_format=order)
        order = simple
    a, b, c, a_digits, c_digits = _date_parts(values, with_digits=True)
    year_first = (a > 31) | ((order == DateOrder.YMD) & (a >= 0))
    year = np.where(year_first, a, c)
    # Only a year written with one or two digits is short for 19xx/20xx: "0000" is year 0.
    short_year = np.where(year_first, a_digits, c_digits) <= 2
    if order == DateOrder.MDY:
        month, day = np.where(year_first, b, a), np.where(year_first, c, b)
    else:
        month, day = b, np.where(year_first, c, a)
    year = np.where(short_year & (year >= 0) & (year < 70), year + 2000, year)
    year = np.where(short_year & (year >= 70) & (year < 100), year + 1900, year)
    valid = (a >= 0) & (year >= 1900) & (year <= 2999) & (month >= 1) & (month <= 12) & (day >= 1)
    months = np.where(valid, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    days_in_month = ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    valid &= day <= days_in_month
    result = np.where(valid, first + (day - 1), np.datetime64("NaT"))
    leftover = ~valid & (values.str.strip() != "").to_numpy()
    if leftover.any():  # rarer spellings such as 5-Mar-2024, on those rows only
        result[leftover] = _named_month_dates(values[leftover])
    return result


def date_order_from_format(date_format: str) -> DateOrder | None:
    """The order of a purely numeric strptime format such as %d.%m.%Y, else None."""
    fields = re.fullmatch(r"%([dmYy])[-/. ]%([dmYy])[-/. ]%([dmYy])", date_format.strip())
    if not fields:
        return None
    letters = "".join(fields.groups()).replace("y", "Y")
    return {"dmY": DateOrder.DMY, "mdY": DateOrder.MDY, "Ymd": DateOrder.YMD}.get(letters)


def _formatted_dates(values: pd.Series, *, date_format: str) -> np.ndarray:
    array = pa.array(values.str.strip(), type=pa.string())
    parsed = pc.strptime(array, format=date_format, unit="s", error_is_null=True)
    result = pd.Series(parsed.to_numpy(zero_copy_only=False)).to_numpy("datetime64[D]")
    result[result < np.datetime64("1900-01-01")] = np.datetime64("NaT")
    return result


def _named_month_dates(values: pd.Series) -> np.ndarray:
    array = pa.array(values.str.strip(), type=pa.string())
    found = pa.nulls(len(array), pa.timestamp("s"))
    for date_format in _NAMED_MONTH_FORMATS:
        parsed = pc.strptime(array, format=date_format, unit="s", error_is_null=True)
        found = pc.coalesce(found, parsed)
    result = pd.Series(found.to_numpy(zero_copy_only=False)).to_numpy("datetime64[D]")
    result[result < np.datetime64("1900-01-01")] = np.datetime64("NaT")
    return result


_NUMBER_NOISE = r"(?i)^\s*(?:rp\.?|idr|usd|\$|€|£)?\s*|\s+|(?:rp|idr|usd)$"


def numbers_parse(values: pd.Series) -> np.ndarray:
    """Numbers as float64 (NaN where blank or not a number).

    Accepts 1234.5, 1,234.50, 1.234,50 and 1.234.567 (Indonesian thousands), currency
    marks (Rp, IDR, $) and accounting negatives such as (1,234.00) or 1234-.
    """
    values = values.str.strip()
    has_comma = values.str.contains(",", regex=False).to_numpy()
    decimal_comma = (
        bool(values.str.contains(r",\d{1,2}$|\.\d{3},", regex=True).any())
        if has_comma.any()
        else bool(values.str.contains(r"\d\.\d{3}\.\d{3}", regex=True).any())
    )
    if decimal_comma:
        values = values.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    numbers = _numbers_plain(values)
    retry = np.isnan(numbers) & (values != "").to_numpy()
    if retry.any():
        numbers[retry] = _numbers_cleaned(values[retry], decimal_comma=decimal_comma)
    return numbers


def _numbers_plain(values: pd.Series) -> np.ndarray:
    """Arrow's cast when every value is a plain number (the usual case), else pandas'."""
    array = pa.array(values, type=pa.large_string())
    try:
        numbers = pc.cast(pc.if_else(pc.equal(array, ""), None, array), pa.float64())
        return numbers.to_numpy(zero_copy_only=False).copy()
    except pa.ArrowInvalid:
        return pd.to_numeric(values, errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan, copy=True
        )


def _numbers_cleaned(values: pd.Series, *, decimal_comma: bool) -> np.ndarray:
    rupiah = values.str.match(r"(?i)^\s*(rp|idr)").to_numpy(dtype=bool, na_value=False)
    cleaned = values.str.replace(_NUMBER_NOISE, "", regex=True)
    if not decimal_comma:  # but rupiah amounts are written 1.500.000,00
        cleaned = cleaned.where(
            rupiah,
            cleaned.str.replace(",", "", regex=False),
        ).where(
            ~rupiah,
            cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
        )
    negative = cleaned.str.match(r"^\(.*\)$|^[^-].*-$").to_numpy(dtype=bool, na_value=False)
    cleaned = cleaned.str.replace(r"^\((.*)\)$|^(.*)-$", r"\1\2", regex=True)
    numbers = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return np.where(negative, -numbers, numbers)


# --- Checking ---------------------------------------------------------------------------


ERROR_VALUE_CHARS = 200


def _quoted_value(value):
    if isinstance(value, str) and len(value) > ERROR_VALUE_CHARS:
        return value[:ERROR_VALUE_CHARS] + "…"
    return value


class _Errors:
    """Collects (row position, field, code) masks; the values are picked at the end."""

    def __init__(self, size: int, ignore: np.ndarray):
        self.bad = np.zeros(size, dtype=bool)
        self.ignore = ignore
        self.found: list[tuple[np.ndarray, str, str]] = []

    def add(self, mask: np.ndarray, field: str, code: str) -> None:
        mask = mask & ~self.ignore
        if mask.any():
            self.found.append((np.flatnonzero(mask), field, code))
            self.bad |= mask

    def frame(self, table: LedgerTable, mapping: dict[str, str]) -> pd.DataFrame:
        parts = []
        index = table.frame.index.to_numpy()
        for positions, field, code in self.found:
            column = mapping.get(field, "")
            values = (
                table.frame[column].to_numpy(dtype=object)[positions]
                if column
                else np.full(len(positions), "", dtype=object)
            )
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
        order = {field: position for position, field in enumerate(FIELDS)}
        errors["_order"] = errors["field"].map(order)
        return errors.sort_values(["row", "_order"], kind="stable").drop(columns="_order")


def ledger_check(
    table: LedgerTable,
    *,
    mapping: dict[str, str],
    date_order: str,
    today: dt.date,
    currency: str = "",
) -> CheckedLedger:
    """Validate every row at once; return the valid lines (with keys) and the errors."""
    problems = mapping_problems(mapping, table.columns)
    if problems:
        raise LedgerFileError("mapping", ", ".join(f"{code}:{field}" for code, field in problems))
    frame = table.frame
    size = len(frame)
    texts = {field: frame[column].str.strip() for field, column in mapping.items()}
    filled = {field: (values != "").to_numpy() for field, values in texts.items()}
    nothing = np.zeros(size, dtype=bool)

    no_customer = ~filled["customer_code"]
    errors = _Errors(size, ignore=no_customer)
    for field, limit in MAX_LENGTH.items():
        if field in texts:
            errors.add((texts[field].str.len() > limit).to_numpy(), field, "too_long")
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

    numbers = {}
    for field in ("quantity", "unit_price", "amount", "cost"):
        if field in texts:
            numbers[field] = numbers_parse(texts[field])
            errors.add(filled[field] & np.isnan(numbers[field]), field, "not_a_number")
        else:
            numbers[field] = np.full(size, np.nan)
    amount = np.round(numbers["amount"], 2)
    if "quantity" in texts and "unit_price" in texts:
        missing = np.isnan(amount)
        amount[missing] = np.round(numbers["quantity"][missing] * numbers["unit_price"][missing], 2)
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

    if currency and "currency" in texts:
        other = (texts["currency"].str.upper() != currency.upper()).to_numpy()
        errors.add(filled["currency"] & other, "currency", "currency")

    invoice = texts["invoice_number"]
    if "line_number" in texts:
        line_number = texts["line_number"].str.replace(r"\.0+$", "", regex=True)
        errors.add(~filled["line_number"], "line_number", "missing")
        twice = pd.DataFrame({"i": invoice, "n": line_number}).duplicated().to_numpy()
        errors.add(twice & filled["line_number"], "line_number", "duplicate_line")

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
            "quantity": np.round(numbers["quantity"][valid], 3),
            "amount": amount[valid],
            "cost": np.round(numbers["cost"][valid], 2),
            "due_date": dates["due_date"][valid],
            "paid_date": dates["paid_date"][valid],
        }
    )
    if "line_number" in texts:
        lines.insert(2, "line_key", line_number[valid].to_numpy())
    else:
        lines.insert(2, "line_key", line_keys_hash(lines))
    return CheckedLedger(
        lines=lines,
        errors=errors.frame(table, mapping),
        rows_total=size,
        rows_invalid=int(errors.bad.sum()),
        rows_skipped=int(no_customer.sum()),
        skipped_amount=float(np.nansum(amount[no_customer])),
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
