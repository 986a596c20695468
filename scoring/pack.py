"""The meeting pack: one Excel workbook with the round's summary, its matrix as an image,
every account's scores, the ratings, the consensus values and the decisions.

Written in the active language (the request's, or the command's --language): box,
decision, coverage and stage names are labels, never stored values.
"""

import io
from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.drawing.image import Image

from accounts.selectors import metrics_run_latest
from kamapp.spreadsheets import bold_cells, cell_value, sheet_table_write, sheet_widths_set

from . import engine, images
from .exports import round_scores_sheet_write
from .forms import matrix_filters_parse
from .models import Axis, Consensus, Decision, Rating
from .selectors import RoundMatrix, matrix_filters_describe

# The image's width on the sheet, in pixels; its height keeps the figure's proportions.
IMAGE_WIDTH = 900


def _person(user) -> str:
    """A person by name, as the pages show them; the username where no name is set."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def round_write_pack(*, matrix: RoundMatrix, stream, rater=None) -> None:
    """The meeting pack, written to `stream`.

    With a rater (blind scoring), every sheet shows only that person's view: their own
    ratings, and the matrix, boxes and image computed from them alone.
    """
    scoring_round = matrix.scoring_round
    decisions = list(
        Decision.objects.filter(round=scoring_round)
        .select_related("customer", "decided_by")
        .order_by("customer__name", "customer__pk")
    )
    workbook = Workbook(write_only=True)
    _summary_write(workbook, matrix=matrix, decisions=decisions, rater=rater)
    _image_write(workbook, matrix=matrix)
    round_scores_sheet_write(workbook, matrix=matrix)
    _ratings_write(workbook, matrix=matrix, rater=rater)
    _consensus_write(workbook, matrix=matrix)
    _decisions_write(workbook, matrix=matrix, decisions=decisions)
    workbook.save(stream)


def _summary_write(workbook, *, matrix: RoundMatrix, decisions: list[Decision], rater) -> None:
    """Counts per box and per decision, the cut-offs and the weights, with headings in bold."""
    scoring_round = matrix.scoring_round
    headings: set[int] = set()
    rows: list[list] = []

    def section(*titles) -> None:
        if rows:
            rows.append([])
        headings.add(len(rows))
        rows.append(list(titles))

    rows.append([scoring_round.name])
    headings.add(0)
    rows.append([_("Date"), scoring_round.date])
    rows.append([_("Stage"), scoring_round.get_status_display()])
    rows.append(
        [
            _("Ratings"),
            _("Only yours: scoring is blind until the meeting")
            if rater is not None
            else _("Everyone's, or the team's consensus where agreed"),
        ]
    )
    run = metrics_run_latest()
    if run is not None and run.period_start and run.period_end:
        rows.append([_("Revenue period from"), run.period_start])
        rows.append([_("Revenue period to"), run.period_end])
    rows.append([_("Currency"), matrix.currency])

    boxes = Counter(matrix.result.box.tolist())
    section(_("Box"), _("Accounts"))
    rows += [[label, boxes[box]] for box, label in matrix.labels.items()]
    rows.append([_("Not placed"), boxes[engine.NOT_PLACED]])
    rows.append([_("Total"), len(matrix.customers)])

    in_round = {customer.pk for customer in matrix.customers}
    choices = Counter(d.choice for d in decisions if d.customer_id in in_round)
    section(_("Decision"), _("Accounts"))
    rows += [[label, choices[choice]] for choice, label in Decision.Choice.choices]
    rows.append([_("No decision yet"), len(in_round) - sum(choices.values())])

    section(_("Axis"), _("Cut-off"))
    rows.append([str(Axis.ATTRACTIVENESS.label), float(scoring_round.attractiveness_cutoff)])
    rows.append([str(Axis.STRENGTH.label), float(scoring_round.strength_cutoff)])

    section(_("Axis"), _("Factor"), _("Weight"), _("Consideration"), _("Rated from"))
    for factor in (*matrix.attractiveness_factors, *matrix.strength_factors):
        rows.append(
            [
                factor.get_axis_display(),
                factor.name,
                float(factor.weight),
                factor.get_consideration_display(),
                factor.get_metric_display() if factor.metric else _("ratings"),
            ]
        )

    sheet = workbook.create_sheet(_("Summary")[:31])
    sheet_widths_set(sheet, rows)
    for index, row in enumerate(rows):
        if index in headings:
            sheet.append(bold_cells(sheet, row))
        else:
            sheet.append([cell_value(value) for value in row])


def _image_write(workbook, *, matrix: RoundMatrix) -> None:
    """The matrix image the round's page offers for download, as it is."""
    sheet = workbook.create_sheet(_("Matrix")[:31])
    # Every account: the pack is the whole round, named as the unfiltered download is.
    every = matrix_filters_describe(filters=matrix_filters_parse({}), labels=matrix.labels)
    png = images.matrix_image(matrix=matrix, image_format="png", filters=every)
    image = Image(io.BytesIO(png))
    image.height = round(image.height * IMAGE_WIDTH / image.width)
    image.width = IMAGE_WIDTH
    image.anchor = "A1"
    sheet.add_image(image)


def _subject(competitor) -> str:
    return competitor.name if competitor else _("us")


def _cells_sheet_write(workbook, *, title: str, records, value_title: str, by_title: str):
    """Ratings or consensus values, one per row: the account, the factor, whom it rates
    (us or a competitor), the value and who gave it."""
    sheet_table_write(
        workbook,
        title=title,
        header=[_("Customer code"), _("Name"), _("Factor"), _("Subject"), value_title, by_title],
        rows=(
            [
                record.customer.code,
                record.customer.name,
                record.factor.name,
                _subject(record.competitor),
                float(record.value),
                _person(person),
            ]
            for record, person in records
        ),
        frozen_columns=2,
    )


def _ratings_write(workbook, *, matrix: RoundMatrix, rater) -> None:
    ratings = Rating.objects.filter(round=matrix.scoring_round).select_related(
        "customer", "factor", "competitor", "rater"
    )
    if rater is not None:
        ratings = ratings.filter(rater=rater)
    ratings = ratings.order_by("customer__name", "factor__position", "rater__username")
    _cells_sheet_write(
        workbook,
        title=_("Ratings"),
        records=((rating, rating.rater) for rating in ratings),
        value_title=_("Rating"),
        by_title=_("Rater"),
    )


def _consensus_write(workbook, *, matrix: RoundMatrix) -> None:
    consensus = Consensus.objects.filter(round=matrix.scoring_round).select_related(
        "customer", "factor", "competitor", "recorded_by"
    )
    _cells_sheet_write(
        workbook,
        title=_("Consensus"),
        records=(
            (agreed, agreed.recorded_by)
            for agreed in consensus.order_by("customer__name", "factor__position")
        ),
        value_title=_("Consensus"),
        by_title=_("Recorded by"),
    )


def _decisions_write(workbook, *, matrix: RoundMatrix, decisions: list[Decision]) -> None:
    sheet_table_write(
        workbook,
        title=_("Decisions"),
        header=[
            _("Customer code"),
            _("Name"),
            _("Box when decided"),
            _("Decision"),
            _("Coverage"),
            _("Rationale"),
            _("Decided by"),
            _("Decided at"),
        ],
        rows=(
            [
                d.customer.code,
                d.customer.name,
                matrix.labels.get(d.box_at_decision, ""),
                d.get_choice_display(),
                d.get_coverage_display(),
                d.rationale,
                _person(d.decided_by),
                # A real date cell, in local time: Excel shows it in the reader's format.
                timezone.localtime(d.decided_at).replace(tzinfo=None, microsecond=0),
            ]
            for d in decisions
        ),
        frozen_columns=2,
        number_formats={7: "yyyy-mm-dd hh:mm"},
    )
