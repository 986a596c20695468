"""Reading a CSV or Excel file as strings under its header (no value is parsed here)."""

import csv
import mmap
from pathlib import Path

import numpy as np
import pandas as pd

from .mapping import mapping_guess
from .table import LedgerFileError, LedgerTable

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
