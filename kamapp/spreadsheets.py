"""Cells safe to open in a spreadsheet, and sheets laid out for reading: every workbook the
app writes goes through here, so text that would run as a formula is neutralised in all."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.utils.functional import Promise
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Column widths in characters: narrow columns still show their header's first word, and a
# long rationale wraps to the reader's window instead of pushing every column off screen.
WIDTH_MIN, WIDTH_MAX = 8, 50
# What a date cell shows (yyyy-mm-dd hh:mm) is 16 characters, whatever str() gives.
DATE_WIDTH = 16

BOLD = Font(bold=True)


def spreadsheet_safe(value):
    """Neutralise formula injection in text cells; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell_value(value):
    """What a cell holds: formula-safe text (a lazy label made text in the active language),
    and money (a Decimal) as a plain number, read back as a float."""
    if isinstance(value, Promise):
        value = str(value)
    return float(value) if isinstance(value, Decimal) else spreadsheet_safe(value)


def _shown_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return DATE_WIDTH
    if isinstance(value, float):
        # Two decimals or a thousands separator, as the number formats show them.
        return len(f"{value:,.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(rows: Iterable[list]) -> list[float]:
    """Each column's width: its longest shown value (header included) plus a margin."""
    widest: list[int] = []
    for row in rows:
        for column, value in enumerate(row):
            width = _shown_width(value)
            if column == len(widest):
                widest.append(width)
            elif width > widest[column]:
                widest[column] = width
    return [min(max(width + 2, WIDTH_MIN), WIDTH_MAX) for width in widest]


def sheet_widths_set(sheet, rows: list[list]) -> None:
    """Fit the columns to the rows (before any row is written: a write-only sheet sends its
    column widths first)."""
    for column, width in enumerate(column_widths(rows), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def bold_cells(sheet, values: list) -> list:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=cell_value(value))
        cell.font = BOLD
        cells.append(cell)
    return cells


def sheet_table_write(
    workbook,
    *,
    title: str,
    header: list,
    rows: Iterable[list],
    frozen_columns: int = 0,
    number_formats: dict[int, str] | None = None,
):
    """A sheet holding one table in a write-only workbook: the header row bold and kept in
    view (with the first `frozen_columns` columns), a filter over the whole table, the
    columns fitted to their content, every cell formula-safe. `number_formats` maps a
    column's index to its Excel number format."""
    sheet = workbook.create_sheet(title[:31])  # Excel's limit on a sheet's name
    header = [cell_value(value) for value in header]
    rows = [[cell_value(value) for value in row] for row in rows]
    sheet_widths_set(sheet, [header, *rows])
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}2"
    sheet.append(bold_cells(sheet, header))
    formats = number_formats or {}
    for row in rows:
        if formats:
            row = [_formatted(sheet, value, formats.get(i)) for i, value in enumerate(row)]
        sheet.append(row)
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    return sheet


def _formatted(sheet, value, number_format: str | None):
    if number_format is None or value is None:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell
