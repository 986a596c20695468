"""The customer list as CSV or Excel: code, name, revenue, shares, rank, tier, signals, stage."""

import csv
from typing import BinaryIO, TextIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from kamapp.spreadsheets import sheet_table_write, spreadsheet_safe

from .models import Stage


def _headers() -> list[str]:
    return [
        _("Code"),
        _("Name"),
        _("Value (tier measure)"),
        _("Revenue"),
        _("Margin"),
        _("Share (%)"),
        _("Cumulative share (%)"),
        _("Rank"),
        _("Tier"),
        _("Months with purchases"),
        _("Invoices"),
        _("Growth (%)"),
        _("Average days late"),
        _("Large continuous buyer"),
        _("Pareto top"),
        _("Loyal"),
        _("Targeted by a competitor"),
        _("Late payer"),
        _("Stage"),
    ]


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 2)


def _cells(row: tuple) -> list:
    (code, name, value, revenue, margin, share, cumulative, rank, tier, months, invoices,
     growth, late, *flags, stage) = row  # fmt: skip
    stages = dict(Stage.choices)
    return [
        spreadsheet_safe(code),
        spreadsheet_safe(name),
        value,
        revenue,
        margin,
        _percent(share),
        _percent(cumulative),
        rank,
        tier,
        months,
        invoices,
        _percent(growth),
        late,
        *[_("yes") if flag else _("no") for flag in flags],
        str(stages.get(stage, "")),
    ]


def customers_csv_write(*, rows: list[tuple], stream: TextIO) -> None:
    writer = csv.writer(stream)
    writer.writerow(_headers())
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in _cells(row)])


def customers_xlsx_write(*, rows: list[tuple], stream: BinaryIO) -> None:
    workbook = Workbook(write_only=True)
    sheet_table_write(
        workbook,
        title=_("Customers"),
        header=_headers(),
        rows=(_cells(row) for row in rows),
        frozen_columns=2,
        number_formats=dict.fromkeys(range(2, 5), "#,##0.00"),
    )
    workbook.save(stream)
