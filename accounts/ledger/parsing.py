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
MAX_AMOUNT = 1e14  # amount and cost: 18 digits, 4 decimals
MAX_QUANTITY = 1e11  # 14 digits, 3 decimals
NUMBER_FIELDS = ("quantity", "unit_price", "amount", "cost")
# Decimals the ledger keeps; a value written with more is refused, never rounded.
STORED_DECIMALS = {"amount": 4, "cost": 4, "quantity": 3}
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
    may_hold_nul: bool = True  # False when the file was seen to have no NUL byte at all

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
        # Text has no NUL bytes, or a stray one in a cell (reported on its row); UTF-16
        # and binary files have them everywhere.
        if head.count(b"\x00") > max(16, len(head) // 100):
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
        may_hold_nul=_has_byte(path, b"\x00"),
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


def _has_byte(path: Path, byte: bytes) -> bool:
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        return m.find(byte) >= 0


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
_PLAIN_NUMBER = r"^-?\d+(?:\.\d+)?$"  # how nearly every exported number is written
_EXPONENT_NUMBER = r"^\d*\.?\d+[eE][-+]?\d+$"
# Both readings fit: a decimal with three decimals, or one thousands group (1.234, 12,500).
_AMBIGUOUS = {"point": r"^[1-9]\d{0,2}\.\d{3}$", "comma": r"^[1-9]\d{0,2},\d{3}$"}
_DECIMAL = {"point": r"^(?:\d*\.\d+|\d+\.)$", "comma": r"^(?:\d*,\d+|\d+,)$"}
# Thousands groups, with or without decimals under the other mark (1,234,567 or 1,234.5).
_GROUPED = {
    "point": r"^[1-9]\d{0,2}(?:,\d{3})+\.\d+$|^[1-9]\d{0,2}(?:,\d{3}){2,}$",
    "comma": r"^[1-9]\d{0,2}(?:\.\d{3})+,\d+$|^[1-9]\d{0,2}(?:\.\d{3}){2,}$",
}
OTHER_MARK = {"point": "comma", "comma": "point"}
# What a value written in the other notation is reported as, by the column's mark.
MARK_CONFLICT = {"point": "comma_in_point_column", "comma": "point_in_comma_column"}
THOUSANDS = {"point": ",", "comma": "."}
SIGNIFICANT_DIGITS = 15  # what float64 (and SQLite's REAL) hold exactly
EXCEL_DIGITS = 15  # Excel shows and keeps numbers to 15 significant digits


class DecimalMark(StrEnum):
    POINT = "point"
    COMMA = "comma"


@dataclass
class NumberColumn:
    """A number column as written: the shape of each value, before a mark is chosen."""

    core: pa.Array  # digits and separators, without sign, currency or spaces
    negative: np.ndarray
    filled: np.ndarray
    plain: np.ndarray  # an integer, or a number in exponent notation: the same either way
    exponent: np.ndarray
    point_at: np.ndarray  # where the core has its first point (-1: none)
    length: np.ndarray  # of the core
    decimal: dict[str, np.ndarray]  # unambiguously written with this decimal mark
    grouped: dict[str, np.ndarray]  # ... and with the other mark as thousands separator
    ambiguous: dict[str, np.ndarray]  # one separator then three digits (1.234, 12,500)

    def evidence(self, mark: str) -> int:
        return int((self.decimal[mark] | self.grouped[mark]).sum())

    def mark(self) -> DecimalMark | None:
        """The column's mark, from its unambiguous values only (None when none tells).

        The majority decides, so that one value in the other notation is reported rather
        than turning the column over; a tie goes to the point.
        """
        point, comma = self.evidence("point"), self.evidence("comma")
        if not point and not comma:
            return None
        return DecimalMark.POINT if point >= comma else DecimalMark.COMMA


@dataclass
class NumberReading:
    """A number column as it will be stored: values (NaN where refused) and why refused."""

    numbers: np.ndarray
    decimals: np.ndarray  # digits written after the decimal mark
    digits: np.ndarray  # significant digits written
    mark: DecimalMark | None  # the mark used; None when no value needed one
    mark_seen: bool  # the mark came from this column's own values, not the file's
    problems: dict[str, np.ndarray]


def _strings(values: pd.Series) -> pa.Array:
    """The values as one Arrow string array (pandas may hand over several chunks)."""
    array = pa.array(values, type=pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _filled(array: pa.Array, value) -> pa.Array:
    return pc.fill_null(array, value) if array.null_count else array


def _matches(array: pa.Array, pattern: str) -> np.ndarray:
    return _filled(pc.match_substring_regex(array, pattern), False).to_numpy(zero_copy_only=False)


def number_column_classify(values: pd.Series, *, excel: bool = False) -> NumberColumn:
    """Sort each value of a column by the notations it fits (vectorised, no mark yet).

    `values` are stripped of surrounding spaces. Plain numbers (1234, -7.28), nearly all
    of a file, are sorted by their lengths alone; only the others are matched against each
    notation's pattern.
    """
    text = values
    array = _strings(text)
    size = len(array)
    filled = (text != "").to_numpy()
    plain = _matches(array, _PLAIN_NUMBER)
    negative = plain & pc.starts_with(array, "-").to_numpy(zero_copy_only=False)
    core = array
    if negative.any():
        unsigned = pc.utf8_slice_codeunits(pc.filter(array, pa.array(negative)), 1)
        core = pc.replace_with_mask(core, pa.array(negative), unsigned)
    other = filled & ~plain
    if other.any():  # currency marks, spaces, accounting negatives: the few that have them
        cleaned = text[other].str.replace(_NUMBER_NOISE, "", regex=True)
        accounting = cleaned.str.match(r"^\(.*\)$|^[^-].*-$").to_numpy(dtype=bool, na_value=False)
        cleaned = cleaned.str.replace(r"^\((.*)\)$|^(.*)-$", r"\1\2", regex=True)
        signed = cleaned.str.match(r"^[-+]").to_numpy(dtype=bool, na_value=False)
        minus = cleaned.str.startswith("-").to_numpy(dtype=bool, na_value=False)
        negative[other] = accounting ^ (signed & minus)
        cleaned = cleaned.str.replace(r"^[-+]", "", regex=True)
        core = pc.replace_with_mask(core, pa.array(other), _strings(cleaned))
    point_at = _filled(pc.find_substring(core, "."), -1).to_numpy()
    fraction = _filled(pc.utf8_length(core), 0).to_numpy() - point_at - 1
    if excel:  # a cell's binary float noise (4501.499999999999): round as Excel shows it
        noisy = plain & (point_at >= 0) & (fraction > STORED_DECIMALS["amount"])
        if noisy.any():
            floats = pc.cast(pc.filter(core, pa.array(noisy)), pa.float64()).to_numpy()
            shown = pa.array([f"{value:.{EXCEL_DIGITS}g}" for value in floats])
            core = pc.replace_with_mask(core, pa.array(noisy), shown.cast(pa.large_string()))
            point_at = _filled(pc.find_substring(core, "."), -1).to_numpy()
            fraction = _filled(pc.utf8_length(core), 0).to_numpy() - point_at - 1
    leading_zero = pc.starts_with(core, "0").to_numpy(zero_copy_only=False)
    plain_point = plain & (point_at >= 0)
    ambiguous_point = plain_point & (point_at <= 3) & (fraction == 3) & ~leading_zero
    integer = plain & (point_at < 0)
    exponent = np.zeros(size, dtype=bool)
    decimal = {"point": plain_point & ~ambiguous_point, "comma": np.zeros(size, dtype=bool)}
    ambiguous = {"point": ambiguous_point, "comma": np.zeros(size, dtype=bool)}
    grouped = {"point": np.zeros(size, dtype=bool), "comma": np.zeros(size, dtype=bool)}
    rest = np.flatnonzero(other)
    if rest.size:
        written = pc.take(core, pa.array(rest))
        has = {"point": _matches(written, r"\."), "comma": _matches(written, ",")}
        integer[rest] = _matches(written, r"^\d+$")
        exponent[rest] = _matches(written, _EXPONENT_NUMBER)
        for mark, other_mark in OTHER_MARK.items():
            single = has[mark] & ~has[other_mark]
            fits_both = single & _matches(written, _AMBIGUOUS[mark])
            ambiguous[mark][rest] = fits_both
            decimal[mark][rest] = single & ~fits_both & _matches(written, _DECIMAL[mark])
            grouped[mark][rest] = has[other_mark] & _matches(written, _GROUPED[mark])
    return NumberColumn(
        core=core,
        negative=negative,
        filled=filled,
        plain=(integer | exponent) & filled,
        exponent=exponent,
        point_at=point_at,
        length=fraction + point_at + 1,
        decimal=decimal,
        grouped=grouped,
        ambiguous=ambiguous,
    )


def number_column_read(column: NumberColumn, *, fallback: str | None = None) -> NumberReading:
    """The values under the column's decimal mark (or the file's, where its own say none).

    Under a mark, a value written in the other notation (7,5 in a point column) is refused,
    never read another way. A value with one separator and three digits (1.234, 12,500)
    reads as a decimal under that separator's mark, which is what it says, and as a
    thousands group under the other mark: as thousands only where the column writes its
    thousands with that separator elsewhere (1.234 beside 1.234,50 or 2.500.000), since a
    writer that groups does so throughout; otherwise it is refused as written with the
    other mark. In a column that shows both notations, such values are refused as
    ambiguous whichever mark wins, since either writer could have written them; so they
    are where there is no mark at all (only integers and such values).
    """
    own = column.mark()
    mark = own or (DecimalMark(fallback) if fallback else None)
    nothing = np.zeros_like(column.plain)
    either = column.ambiguous["point"] | column.ambiguous["comma"]
    refused = {}
    if mark is None:
        ok = column.plain.copy()
        written = column.core
    else:
        other = OTHER_MARK[mark]
        conflict = column.decimal[other] | column.grouped[other]
        mixed = bool(conflict.any())
        thousands = column.ambiguous[other] if column.grouped[mark].any() else nothing
        ok = column.plain | column.decimal[mark] | column.grouped[mark]
        if mixed:
            thousands = nothing
        else:
            ok |= column.ambiguous[mark] | thousands
        refused[MARK_CONFLICT[mark]] = conflict | (
            column.ambiguous[other] & ~thousands & (not mixed)
        )
        either = either & mixed
        written = column.core
        if (column.grouped[mark] | thousands).any():
            written = pc.replace_substring(written, THOUSANDS[mark], "")
        if mark == DecimalMark.COMMA:
            written = pc.replace_substring(written, ",", ".")
    refused["ambiguous_mark"] = either
    refused["not_a_number"] = column.filled & ~ok & ~np.logical_or.reduce(list(refused.values()))
    if written is column.core:  # nothing was taken out: the positions are the core's
        point_at, length = column.point_at, column.length
    else:
        point_at = _filled(pc.find_substring(written, "."), -1).to_numpy()
        length = _filled(pc.utf8_length(written), 0).to_numpy()
    if not ok.all():
        written = pc.if_else(pa.array(ok), written, None)
    numbers = pc.cast(written, pa.float64()).to_numpy(zero_copy_only=False).copy()
    numbers = np.where(column.negative, -numbers, numbers)
    counted = ok & ~column.exponent  # 1e15 says nothing of its digits
    digits = np.where(counted, length - (point_at >= 0), 0)
    long = np.flatnonzero(digits > SIGNIFICANT_DIGITS)
    if long.size:  # leading zeros (0.000012) are not significant: count them on these only
        zeros = pc.extract_regex(pc.take(written, pa.array(long)), r"^(?P<zeros>[0.]*)")
        leading = pc.utf8_length(pc.struct_field(zeros, "zeros")).to_numpy()
        digits[long] -= leading - (point_at[long] >= 0) * (point_at[long] < leading)
    return NumberReading(
        numbers=numbers,
        decimals=np.where(counted & (point_at >= 0), length - point_at - 1, 0),
        digits=digits,
        mark=mark,
        mark_seen=own is not None,
        problems=refused,
    )


def number_problems(field: str, reading: NumberReading) -> dict[str, np.ndarray]:
    """Each refusal of a number column's values, as (code, mask), in the order reported."""
    problems = dict(reading.problems)
    if field in STORED_DECIMALS:
        problems["too_precise"] = reading.decimals > STORED_DECIMALS[field]
        problems["too_many_digits"] = reading.digits > SIGNIFICANT_DIGITS
    return problems


def number_columns_read(
    values: dict[str, pd.Series], *, excel: bool = False
) -> dict[str, NumberReading]:
    """Read each number column under its own mark; a column whose values tell none (only
    integers and 1.234-like values) takes the mark most of the file's numbers are written
    with."""
    columns = {name: number_column_classify(v, excel=excel) for name, v in values.items()}
    point = sum(column.evidence("point") for column in columns.values())
    comma = sum(column.evidence("comma") for column in columns.values())
    fallback = None if not point and not comma else ("point" if point >= comma else "comma")
    return {name: number_column_read(c, fallback=fallback) for name, c in columns.items()}


def numbers_parse(values: pd.Series) -> np.ndarray:
    """Numbers as float64 (NaN where blank, not a number, or refused for its notation).

    Accepts 1234.5, 1,234.50, 1.234,50 and 1.234.567 (Indonesian thousands), currency
    marks (Rp, IDR, $) and accounting negatives such as (1,234.00) or 1234-, each column
    in one notation (see `number_column_read`).
    """
    return number_column_read(number_column_classify(values.str.strip())).numbers


# --- Checking ---------------------------------------------------------------------------


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
    array = _strings(filled)
    floats = _matches(array, _INTEGER_WRITTEN_AS_FLOAT)
    if not floats.any() or not (floats | _matches(array, r"^\d+$")).all():
        return codes, False
    return codes.str.replace(r"\.0+$", "", regex=True), True


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

    texts["customer_code"], _ = customer_codes_normalise(texts["customer_code"])
    no_customer = ~filled["customer_code"]
    errors = _Errors(size, ignore=no_customer)
    for field, values in texts.items() if table.may_hold_nul else ():
        # PostgreSQL refuses a NUL in text, and the programs reading SQLite cut it there.
        errors.add(values.str.contains("\x00", regex=False).to_numpy(), field, "nul_byte")
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
            "quantity": np.round(numbers["quantity"][valid], STORED_DECIMALS["quantity"]),
            "amount": amount[valid],
            "cost": np.round(numbers["cost"][valid], STORED_DECIMALS["cost"]),
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


# --- Preview ----------------------------------------------------------------------------

DATE_FIELDS = ("invoice_date", "due_date", "paid_date")


@dataclass
class ColumnPreview:
    """One mapped column as it will be stored: first rows' values and how they are read."""

    field: str
    column: str
    kind: str  # "number", "date" or "text"
    values: list  # float, datetime.date or str per row; None where the value is refused
    problems: list  # the error code per row, "" where the value is fine
    mark: DecimalMark | None = None
    mark_seen: bool = False
    date_order: DateOrder | None = None
    date_order_ambiguous: bool = False
    codes_normalised: bool = False


def ledger_preview(
    table: LedgerTable, *, mapping: dict[str, str], date_order: str, rows: int
) -> list[ColumnPreview]:
    """Each mapped column's first `rows` values as stored, with the decimal mark and date
    order read from all of the table's rows (the preview's sample of the file)."""
    frame = table.frame
    texts = {
        field: frame[column].str.strip()
        for field, column in mapping.items()
        if column in frame.columns
    }
    readings = number_columns_read(
        {field: texts[field] for field in NUMBER_FIELDS if field in texts},
        excel=table.kind == "excel",
    )
    previews = []
    for field in FIELDS:
        if field not in texts:
            continue
        values = texts[field]
        head = values.head(rows)
        filled = (head != "").to_numpy()
        problems = np.where(head.str.contains("\x00", regex=False).to_numpy(), "nul_byte", "")
        preview = ColumnPreview(
            field=field, column=mapping[field], kind="text", values=[], problems=[]
        )
        if field in readings:
            reading = readings[field]
            for code, mask in number_problems(field, reading).items():
                problems = np.where(mask[: len(head)] & (problems == ""), code, problems)
            preview.kind, preview.mark = "number", reading.mark
            preview.mark_seen = reading.mark_seen
            stored = [None if np.isnan(n) else float(n) for n in reading.numbers[: len(head)]]
        elif field in DATE_FIELDS:
            parsed = dates_parse(head, order=date_order)
            problems = np.where(
                filled & np.isnat(parsed) & (problems == ""), "not_a_date", problems
            )
            preview.kind = "date"
            if "%" not in date_order:
                preview.date_order, preview.date_order_ambiguous = date_order_detect(values)
            stored = [value.item() for value in parsed]
        else:
            if field == "customer_code":
                values, preview.codes_normalised = customer_codes_normalise(values)
            stored = values.head(rows).tolist()
        preview.problems = problems.tolist()
        preview.values = [
            None if code else value for value, code in zip(stored, preview.problems, strict=True)
        ]
        previews.append(preview)
    return previews
