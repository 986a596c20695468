"""Exports of a round: one row per account with its scores, box and ratings."""

import csv
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kamapp.spreadsheets import spreadsheet_safe

from .models import Consensus, Decision, Rating
from .selectors import RoundMatrix, box_labels, optional_float


def _score(value: float | None):
    return None if value is None else round(value, 2)


def round_export_table(*, matrix: RoundMatrix) -> tuple[list[str], list[list]]:
    """Header and rows: identity, scores, box, completeness, then every factor's rating."""
    labels = box_labels()
    subjects = [None, *matrix.competitors]
    header = [
        _("Customer code"),
        _("Name"),
        _("Segment"),
        _("Owner"),
        _("Attractiveness"),
        _("Our strength"),
        _("Best competitor strength"),
        _("Relative strength"),
        _("Box"),
        _("Complete"),
    ]
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
            customer.owner_username,
            _score(position.attractiveness),
            _score(position.our_strength),
            _score(position.best_competitor_strength),
            _score(position.relative_strength),
            labels.get(position.box, ""),
            _("yes") if position.complete else _("no"),
        ]
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


def round_write_xlsx(*, matrix: RoundMatrix, path) -> None:
    header, rows = round_export_table(matrix=matrix)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Scores")[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def round_write_pack(*, matrix: RoundMatrix, stream, rater=None) -> None:
    """The meeting pack: scores, every rating, consensus values and decisions, one sheet each.

    With a rater (blind scoring), the ratings sheet holds only that person's ratings.
    """
    scoring_round = matrix.scoring_round
    workbook = Workbook(write_only=True)

    def sheet(title: str, header: list[str], rows) -> None:
        worksheet = workbook.create_sheet(title[:31])
        worksheet.append([spreadsheet_safe(cell) for cell in header])
        for row in rows:
            worksheet.append([spreadsheet_safe(cell) for cell in row])

    header, rows = round_export_table(matrix=matrix)
    sheet(_("Scores"), header, rows)

    def subject(competitor) -> str:
        return competitor.name if competitor else _("us")

    ratings = Rating.objects.filter(round=scoring_round).select_related(
        "customer", "factor", "competitor", "rater"
    )
    if rater is not None:
        ratings = ratings.filter(rater=rater)
    sheet(
        _("Ratings"),
        [_("Customer code"), _("Name"), _("Factor"), _("Subject"), _("Rater"), _("Rating")],
        (
            [
                r.customer.code,
                r.customer.name,
                r.factor.name,
                subject(r.competitor),
                r.rater.get_username(),
                float(r.value),
            ]
            for r in ratings.order_by("customer__name", "factor__position", "rater__username")
        ),
    )
    consensus = Consensus.objects.filter(round=scoring_round).select_related(
        "customer", "factor", "competitor", "recorded_by"
    )
    sheet(
        _("Consensus"),
        [
            _("Customer code"),
            _("Name"),
            _("Factor"),
            _("Subject"),
            _("Consensus"),
            _("Recorded by"),
        ],
        (
            [
                c.customer.code,
                c.customer.name,
                c.factor.name,
                subject(c.competitor),
                float(c.value),
                c.recorded_by.get_username() if c.recorded_by else "",
            ]
            for c in consensus.order_by("customer__name", "factor__position")
        ),
    )
    decisions = Decision.objects.filter(round=scoring_round).select_related(
        "customer", "decided_by"
    )
    sheet(
        _("Decisions"),
        [
            _("Customer code"),
            _("Name"),
            _("Box"),
            _("Decision"),
            _("Coverage"),
            _("Rationale"),
            _("Decided by"),
            _("Decided at"),
        ],
        (
            [
                d.customer.code,
                d.customer.name,
                matrix.labels.get(d.box_at_decision, ""),
                d.get_choice_display(),
                d.get_coverage_display(),
                d.rationale,
                d.decided_by.get_username() if d.decided_by else "",
                # A real date cell, in local time: Excel shows it in the reader's format.
                timezone.localtime(d.decided_at).replace(tzinfo=None, microsecond=0),
            ]
            for d in decisions.order_by("customer__name")
        ),
    )
    workbook.save(stream)
