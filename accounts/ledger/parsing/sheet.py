"""Streaming one .xlsx worksheet into columns of strings, refusing it past the limits.

The sheet's XML goes through expat a block at a time; each cell's value becomes the text
pandas showed for it (`cells`), and every half a million cells the values become Arrow
columns. Memory follows the cells that hold a value, never the sheet's
declared or apparent size, and the dimension, rows, columns and cells are checked as they
appear, before anything is allocated for them.
"""

import datetime as dt
import pyexpat
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .cells import TextGatherer, date_text, duration_text, number_text, text_unescape
from .limits import LedgerLimits, limit_check
from .table import LedgerFileError

BLOCK_BYTES = 1024 * 1024
CHUNK_CELLS = 500_000  # values held as Python objects before they become Arrow arrays
DATE_CACHE_SIZE = 50_000


class RowsRead(Exception):
    """Raised inside the parser once the rows asked for are read."""


def xml_parser(handlers: dict[str, Callable]) -> "pyexpat.XMLParserType":
    """An expat parser that refuses document types (and so entity definitions)."""
    parser = pyexpat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 64 * 1024

    def refuse(*args):
        raise LedgerFileError("unreadable", "the workbook's XML declares a document type")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    for name, handler in handlers.items():
        setattr(parser, name, handler)
    return parser


def xml_feed(parser, stream, *, until: Callable[[], bool] = lambda: False) -> bool:
    """Feed a part to the parser a block at a time; False if it stopped early, once
    `until()`, True at the part's end."""
    try:
        for block in iter(lambda: stream.read(BLOCK_BYTES), b""):
            parser.Parse(block, False)
            if until():
                return False
        parser.Parse(b"", True)
        return True
    except pyexpat.ExpatError as exc:
        raise LedgerFileError("unreadable", f"XML: {exc}") from exc


class SheetReader:
    """Reads one worksheet part; `columns()` then hands back its cells as Arrow columns.

    `shared(index)` gives the Arrow array of the workbook's shared strings holding at least
    `index + 1` of them; `styles[s]` is "date", "duration" or "" for each cell style.
    """

    def __init__(
        self,
        *,
        limits: LedgerLimits,
        shared: Callable[[int], pa.ChunkedArray],
        styles: list[str],
        date1904: bool,
        max_rows: int | None = None,
    ):
        self.limits, self.shared, self.styles, self.date1904 = limits, shared, styles, date1904
        self.max_rows = max_rows
        self.parser = None
        # Element names with the sheet's namespace prefix, known from its root element.
        self.C = self.V = self.ROW = self.IS = self.T = self.RPH = self.DIMENSION = None
        self.row = self.col = self.cell_row = 0
        self.kind, self.style = "n", ""
        self.phonetic = False
        self.text = TextGatherer()
        self.rows = self.cols = 0  # extent of the cells holding a value
        self.shared_max = -1
        self.letters: dict[str, int] = {}
        self.style_kinds: dict[str, str] = {}
        self.dates: dict[str, str] = {}
        self.pending: list[tuple[list[int], list]] = []
        self.pending_values = 0
        self.flushed_rows = 0
        self.chunks: list[tuple[int, dict[int, pa.Array]]] = []

    def read(self, stream) -> None:
        self.parser = xml_parser({"StartElementHandler": self._start})
        try:
            xml_feed(self.parser, stream)
        except RowsRead:
            pass
        except ValueError as exc:  # a row or cell number that is not one
            raise LedgerFileError("unreadable", f"sheet: {exc}") from exc
        self._flush()

    def columns(self) -> list[pa.ChunkedArray]:
        """Every column from A to the last holding a value, each from row 1 to the last."""
        result = []
        for column in range(self.cols):
            pieces = [
                arrays[column] if column in arrays else pa.nulls(length, pa.large_string())
                for length, arrays in self.chunks
            ]
            result.append(pc.fill_null(pa.chunked_array(pieces, pa.large_string()), ""))
        return result

    # The handlers run once per element of a sheet that may hold millions: the commonest
    # first. Text is only gathered inside a value, and the end of an element only reported
    # inside a value or an inline string (no Python call otherwise).
    def _start(self, name: str, attrs: dict) -> None:
        if name == self.C:
            reference = attrs.get("r")
            if reference is None:
                self.col += 1
                self.cell_row = self.row
            else:
                letters = reference.rstrip("0123456789")
                column = self.letters.get(letters)
                self.col = self._column(letters) if column is None else column
                self.cell_row = int(reference[len(letters) :])
            self.kind = attrs.get("t", "n")
            self.style = attrs.get("s", "")
        elif name == self.V:
            self.text = TextGatherer()
            self.parser.CharacterDataHandler = self.text
            self.parser.EndElementHandler = self._value_end
        elif name == self.ROW:
            self._row(attrs.get("r"))
        elif name == self.IS:
            self.text = TextGatherer()
            self.parser.EndElementHandler = self._inline_end
        elif name == self.T:
            if self.parser.EndElementHandler == self._inline_end and not self.phonetic:
                self.parser.CharacterDataHandler = self.text
        elif name == self.RPH:
            self.phonetic = True
        elif name == self.DIMENSION:
            self._dimension(attrs.get("ref", ""))
        elif self.C is None:
            self._root(name)

    def _value_end(self, name: str) -> None:
        parser = self.parser
        parser.CharacterDataHandler = parser.EndElementHandler = None
        text = self.text.text()
        kind = self.kind
        if kind == "n":
            style = self.style_kinds.get(self.style)
            if style is None:
                style = self._style(self.style)
            if style:
                value = self._moment(text, style)
            elif text.isdigit() and (text[0] != "0" or len(text) == 1):
                value = text  # a whole number, written as pandas would show it
            else:
                value = number_text(text)
        elif kind == "s":
            value = int(text)
            if value < 0:
                raise LedgerFileError("unreadable", f"shared string {value}")
            if value > self.shared_max:
                self.shared_max = value
        elif kind == "b":
            value = "True" if text.strip() in ("1", "true") else "False"
        elif kind == "e":
            return  # an error such as #N/A holds no value
        elif kind == "d":
            try:
                value = dt.datetime.fromisoformat(text).isoformat(sep=" ")
            except ValueError:
                value = text
        else:  # "str" (a formula's text) and "inlineStr" written in <v>
            value = text_unescape(text)
        if value == "":
            return
        row, column = self.cell_row, self.col
        if row > self.rows or column > self.cols:
            self._extend(row, column)
        if row <= self.flushed_rows:
            raise LedgerFileError("unreadable", f"sheet: a cell of row {row} out of order")
        rows, values = self.pending[column - 1]
        rows.append(row)
        values.append(value)
        self.pending_values += 1

    def _inline_end(self, name: str) -> None:
        if name == self.T:
            self.parser.CharacterDataHandler = None
        elif name == self.RPH:
            self.phonetic = False
        elif name == self.IS:
            self.parser.EndElementHandler = None
            self.kind = "str"  # the gathered text, through the value's path
            self._value_end(name)

    def _moment(self, text: str, style: str) -> str:
        if style == "duration":
            return duration_text(text)
        value = self.dates.get(text)
        if value is None:
            if len(self.dates) > DATE_CACHE_SIZE:
                self.dates.clear()
            value = self.dates[text] = date_text(text, date1904=self.date1904)
        return value

    def _extend(self, row: int, column: int) -> None:
        """A value beyond the extent so far: checked against the limits first."""
        limits = self.limits
        limit_check("too_many_columns", column, limits.columns)
        limit_check("too_many_rows", row, limits.rows)
        self.cols, self.rows = max(self.cols, column), max(self.rows, row)
        limit_check("too_many_cells", self.rows * self.cols, limits.cells)
        while len(self.pending) < self.cols:
            self.pending.append(([], []))

    def _column(self, letters: str) -> int:
        if not (letters.isascii() and letters.isalpha() and len(letters) <= 4):
            raise LedgerFileError("unreadable", f"sheet: cell reference {letters[:20]!r}")
        column = 0
        for letter in letters.upper():
            column = column * 26 + ord(letter) - 64
        self.letters[letters] = column
        return column

    def _style(self, style: str) -> str:
        index = int(style) if style.isdigit() else -1
        kind = self.styles[index] if 0 <= index < len(self.styles) else ""
        self.style_kinds[style] = kind
        return kind

    def _row(self, reference: str | None) -> None:
        row = int(reference) if reference else self.row + 1
        if self.max_rows is not None and row > self.max_rows:
            raise RowsRead
        if self.pending_values >= CHUNK_CELLS:
            self._flush()
        self.row, self.col = row, 0

    def _root(self, name: str) -> None:
        """The sheet's prefix for its namespace, from its first element (most have none)."""
        prefix = name[: -len("worksheet")] if name.endswith("worksheet") else ""
        if prefix and not prefix.endswith(":"):
            raise LedgerFileError("unreadable", f"a sheet that starts with <{name}>")
        self.C, self.V, self.ROW, self.IS = (prefix + tag for tag in ("c", "v", "row", "is"))
        self.T, self.RPH, self.DIMENSION = (prefix + tag for tag in ("t", "rPh", "dimension"))

    def _dimension(self, reference: str) -> None:
        """The extent the sheet declares, checked before a single row is read."""
        last = reference.rpartition(":")[2].replace("$", "")
        letters = last.rstrip("0123456789")
        if not letters or letters == last:
            return  # a dimension is optional; the cells are checked as they come
        rows, columns = int(last[len(letters) :]), self._column(letters)
        limit_check("too_many_columns", columns, self.limits.columns)
        limit_check("too_many_rows", rows, self.limits.rows)
        limit_check("too_many_cells", rows * columns, self.limits.cells)

    def _flush(self) -> None:
        """Turn the values read since the last flush (rows up to the last one seen with a
        value) into one Arrow array per column, placed by row."""
        length = self.rows - self.flushed_rows
        if length <= 0:
            return
        first = self.flushed_rows + 1
        shared = self.shared(self.shared_max) if self.shared_max >= 0 else None
        arrays = {}
        for column, (rows, values) in enumerate(self.pending):
            if rows:
                arrays[column] = _placed(_strings(values, shared), rows, first, length)
        self.pending = [([], []) for _ in self.pending]
        self.pending_values = 0
        self.chunks.append((length, arrays))
        self.flushed_rows = self.rows


def _strings(values: list, shared: pa.ChunkedArray | None) -> pa.Array:
    """The column's values as one Arrow array: shared-string indices looked up, the rest
    as they are."""
    indices = [value if value.__class__ is int else None for value in values]
    if shared is None or indices.count(None) == len(indices):
        return pa.array(values, type=pa.large_string())
    try:
        looked_up = shared.take(pa.array(indices, type=pa.int64()))
    except (IndexError, pa.ArrowIndexError) as exc:
        raise LedgerFileError("unreadable", "a cell names a missing shared string") from exc
    if looked_up.null_count == 0:
        return looked_up.combine_chunks()
    texts = [None if value.__class__ is int else value for value in values]
    return pc.coalesce(looked_up.combine_chunks(), pa.array(texts, pa.large_string()))


def _placed(values: pa.Array, rows: list[int], first: int, length: int) -> pa.Array:
    """The values at their rows of a block of `length` rows from `first`, null elsewhere."""
    at = np.asarray(rows, dtype=np.int64) - first
    if len(at) == length and (at == np.arange(length)).all():
        return values
    index = np.full(length, -1, dtype=np.int64)
    index[at] = np.arange(len(at))
    return values.take(pa.array(index, mask=index < 0))
