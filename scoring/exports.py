"""Exports of a round: one row per account with its scores, box and ratings."""

import csv
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from kamapp.spreadsheets import sheet_table_write, spreadsheet_safe

from .selectors import RoundMatrix, optional_float, round_foresight

# How Excel shows the table's revenue and its four scores (columns 5 to 9 of the header).
SCORES_NUMBER_FORMATS = {5: "#,##0.00", **dict.fromkeys(range(6, 10), "0.00")}


def _score(value: float | None):
    return None if value is None else round(value, 2)


def round_export_table(*, matrix: RoundMatrix) -> tuple[list[str], list[list]]:
    """Header and rows: identity, tier and revenue, scores, box, completeness, then every
    factor's rating. The owner is named as the pages name them; the revenue is the metrics
    period's, in the company's currency. A round with the three-year view, once it is
    shown, adds the attractiveness and box expected in three years after the completeness."""
    subjects = [None, *matrix.competitors]
    foresight = round_foresight(matrix=matrix)
    header = [
        _("Customer code"),
        _("Name"),
        _("Segment"),
        _("Owner"),
        _("Tier"),
        _("Revenue (%(currency)s)") % {"currency": matrix.currency},
        _("Attractiveness"),
        _("Our strength"),
        _("Best competitor strength"),
        _("Relative strength"),
        _("Box"),
        _("Complete"),
    ]
    if foresight is not None:
        header += [_("Attractiveness in 3 years"), _("Box in 3 years")]
    header += [factor.name for factor in matrix.attractiveness_factors]
    for factor in matrix.strength_factors:
        for subject in subjects:
            who = _("us") if subject is None else subject.name
            header.append(f"{factor.name} ({who})")
    rows = []
    for row, position in enumerate(matrix.positions):
        customer = position.customer
        values = [
            customer.code,
            customer.name,
            customer.segment,
            customer.owner,
            customer.tier,
            round(customer.revenue, 2),
            _score(position.attractiveness),
            _score(position.our_strength),
            _score(position.best_competitor_strength),
            _score(position.relative_strength),
            matrix.labels.get(position.box, ""),
            _("yes") if position.complete else _("no"),
        ]
        if foresight is not None:
            expected = foresight.position(row)
            values += [_score(expected.attractiveness), matrix.labels.get(expected.box, "")]
        values += position.attractiveness_ratings
        for column in range(len(matrix.strength_factors)):
            values += [
                optional_float(matrix.strength_ratings[row, subject, column])
                for subject in range(len(subjects))
            ]
        rows.append([spreadsheet_safe(value) for value in values])
    return [spreadsheet_safe(title) for title in header], rows


def round_write_csv(*, matrix: RoundMatrix, stream: IO) -> None:
    header, rows = round_export_table(matrix=matrix)
    writer = csv.writer(stream)
    writer.writerow(header)
    writer.writerows(rows)


def round_scores_sheet_write(workbook, *, matrix: RoundMatrix) -> None:
    """The table as a sheet of a write-only workbook, code and name kept in view."""
    header, rows = round_export_table(matrix=matrix)
    sheet_table_write(
        workbook,
        title=_("Scores"),
        header=header,
        rows=rows,
        frozen_columns=2,
        number_formats=SCORES_NUMBER_FORMATS,
    )


def round_write_xlsx(*, matrix: RoundMatrix, path) -> None:
    workbook = Workbook(write_only=True)
    round_scores_sheet_write(workbook, matrix=matrix)
    workbook.save(path)
