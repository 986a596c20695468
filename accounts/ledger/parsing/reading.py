"""Reading a CSV or Excel file as strings under its header (no value is parsed here)."""

import csv
import mmap
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from .excel import xlsx_columns
from .limits import (
    LedgerLimits,
    csv_header_columns,
    csv_lines_count,
    file_size_check,
    limit_check,
)
from .mapping import mapping_guess
from .table import LedgerFileError, LedgerTable

Guess = Callable[[list], dict[str, str]]  # a header row's cells -> the fields they name

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
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # .xls, and workbooks saved with a password


def ledger_read(
    path: Path | str,
    *,
    preview_rows: int | None = None,
    limits: LedgerLimits | None = None,
    aliases: dict[str, tuple[str, ...]] | None = None,
) -> LedgerTable:
    """Read a CSV (any delimiter; UTF-8, BOM or Latin-1) or .xlsx file as strings.

    A file past the `limits` is refused (LedgerLimitError) before it is read; with
    `preview_rows`, only the first rows are read (and the whole file is never scanned for
    more than its line count). The header is the row whose cells name the most fields of
    `aliases` (`mapping_guess`; by default the ledger's), so other tables read alike.
    """
    guess = partial(mapping_guess, aliases=aliases)
    path = Path(path)
    limits = limits or LedgerLimits()
    file_size_check(path, limits)
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    if not head.strip():
        raise LedgerFileError("empty")
    if head.startswith(OLE_SIGNATURE):
        raise LedgerFileError("excel_format")
    if head.startswith(ZIP_SIGNATURE):
        table = _excel_read(path, preview_rows=preview_rows, limits=limits, guess=guess)
    else:
        for signature, kind in BINARY_SIGNATURES.items():
            if head.startswith(signature):
                raise LedgerFileError("binary", kind)
        # Text has no NUL bytes, or a stray one in a cell (reported on its row); UTF-16
        # and binary files have them everywhere.
        if head.count(b"\x00") > max(16, len(head) // 100):
            raise LedgerFileError("binary", "binary file")
        table = _csv_read(path, head, preview_rows=preview_rows, limits=limits, guess=guess)
    if table.frame.empty:
        raise LedgerFileError("no_rows")
    return table


def _csv_read(
    path: Path, head: bytes, *, preview_rows: int | None, limits: LedgerLimits, guess: Guess
) -> LedgerTable:
    whole = len(head) < SAMPLE_BYTES
    if not whole:  # do not judge the encoding on a character cut in two
        head = head[: head.rfind(b"\n") + 1] or head
    try:
        sample, encoding = head.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        sample, encoding = head.decode("latin-1"), "latin-1"
    lines = sample.splitlines()[: HEADER_SEARCH_ROWS + 1]
    delimiter, header_index = _csv_layout(lines, guess=guess)
    _csv_size_check(path, head, lines, header_index, delimiter, whole=whole, limits=limits)
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
        # The preview checks its rows itself; only an import scans the whole file.
        may_hold_nul=preview_rows is not None or _has_byte(path, b"\x00"),
    )


def _csv_size_check(path, head, lines, header_index, delimiter, *, whole, limits) -> None:
    """Columns from the header line, then rows and cells from the line count: all before
    pandas reads a byte. A header line longer than the sample is counted on from there."""
    header = lines[header_index] if lines else ""
    cut = not whole and header_index == len(lines) - 1 and not head.endswith((b"\n", b"\r"))
    if cut:
        start = max(head.rfind(b"\n"), head.rfind(b"\r")) + 1
        separator = delimiter.encode("ascii")
        columns = csv_header_columns(path, start=start, separator=separator)
    else:
        columns = len(next(csv.reader([header], delimiter=delimiter), [])) or 1
    limit_check("too_many_columns", columns, limits.columns)
    rows = csv_lines_count(path)
    limit_check("too_many_rows", rows, limits.rows)
    limit_check("too_many_cells", rows * columns, limits.cells)


def _csv_frame(path: Path, *, encoding: str, options: dict) -> pd.DataFrame:
    try:
        return pd.read_csv(path, encoding=encoding, **options)
    except pd.errors.ParserError as exc:
        if "UTF8" in str(exc) or "utf-8" in str(exc):
            raise UnicodeDecodeError(encoding, b"", 0, 1, str(exc)) from exc
        raise LedgerFileError("unreadable", str(exc).splitlines()[0]) from exc
    except pd.errors.EmptyDataError as exc:
        raise LedgerFileError("no_rows") from exc


def _csv_layout(lines: list[str], *, guess: Guess) -> tuple[str, int]:
    """The delimiter and the header line: where the most cells name the file's fields."""
    best = (0, 0, ",", 0)  # (matches, columns, delimiter, header index)
    for delimiter in DELIMITERS:
        rows = list(csv.reader(lines, delimiter=delimiter))
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            candidate = (len(guess(row)), len(row), delimiter, index)
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


def _excel_read(
    path: Path, *, preview_rows: int | None, limits: LedgerLimits, guess: Guess
) -> LedgerTable:
    max_rows = None if preview_rows is None else preview_rows + HEADER_SEARCH_ROWS
    columns = xlsx_columns(path, limits=limits, max_rows=max_rows)
    if not columns:
        raise LedgerFileError("no_rows")
    heads = [column[:HEADER_SEARCH_ROWS].to_pylist() for column in columns]
    top = [list(row) for row in zip(*heads, strict=True)]
    scores = [len(guess(row)) for row in top]
    header_index = int(np.argmax(scores)) if max(scores) else _first_filled_row(top)
    header = [
        name.strip() or f"column {position + 1}" for position, name in enumerate(top[header_index])
    ]
    string = pd.StringDtype("pyarrow", na_value=np.nan)
    frame = pd.DataFrame(
        {
            position: pd.Series(column[header_index + 1 :], dtype=string)
            for position, column in enumerate(columns)
        }
    )
    frame.columns = _unique_names(header)
    if preview_rows is not None:
        frame = frame.head(preview_rows)
    return LedgerTable(frame=_drop_empty_rows(frame), first_row=header_index + 2, kind="excel")


def _first_filled_row(rows: list[list[str]]) -> int:
    return next((index for index, row in enumerate(rows) if any(row)), 0)


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
