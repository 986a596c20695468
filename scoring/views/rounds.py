"""Round pages: the list, a new round, and the matrix dashboard."""

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Segment, Tier
from kamapp.htmx import render_page_or_partial, wants_partial

from .. import chart_arrows, charts, engine
from ..forms import MATRIX_SORTS, RoundCreateForm, matrix_filters_parse
from ..permissions import can_view_rounds, user_can_manage_rounds
from ..selectors import (
    account_owners,
    round_foresight,
    round_history,
    round_latest,
    round_list,
    round_matrix_seen_by,
)
from ..services import round_create
from .base import round_or_404

TABLE_PAGE_SIZE = 50
INCOMPLETE_LISTED = 50


@require_GET
@can_view_rounds
def round_index(request):
    return render(
        request,
        "scoring/round_index.html",
        {"rounds": round_list(), "can_manage": user_can_manage_rounds(user=request.user)},
    )


@require_http_methods(["GET", "POST"])
@permission_required("scoring.add_scoringround", raise_exception=True)
def round_new(request):
    form = RoundCreateForm(
        request.POST or None,
        initial={"date": timezone.localdate(), "copy_factors_from": round_latest()},
    )
    if request.method == "POST" and form.is_valid():
        scoring_round = round_create(
            name=form.cleaned_data["name"],
            date=form.cleaned_data["date"],
            created_by=request.user,
            copy_factors_from=form.cleaned_data["copy_factors_from"],
            foresight=form.cleaned_data["foresight"],
        )
        messages.success(request, _("Round created. Agree its factors and weights next."))
        return redirect("scoring:factor_set", pk=scoring_round.pk)
    # A POST that reaches this point did not save: its errors come back with 422.
    status = 422 if request.method == "POST" else 200
    return render(request, "scoring/round_new.html", {"form": form}, status=status)


@require_GET
@can_view_rounds
def round_detail(request, pk: int):
    """The matrix dashboard: chart, filters, the accounts table and what is incomplete."""
    scoring_round = round_or_404(pk)
    filters = matrix_filters_parse(request.GET)
    matrix = round_matrix_seen_by(scoring_round=scoring_round, user=request.user, **filters.scope)
    placed_rows = matrix.placed_rows()
    page = Paginator(matrix.placed_rows(sort=filters.sort), TABLE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    unplaced_rows = np.flatnonzero(~matrix.result.complete & ~matrix.rated_nothing)
    placed_boxes = matrix.result.box[placed_rows]
    figure = charts.matrix_figure(matrix=matrix, rows=placed_rows)
    foresight = round_foresight(matrix=matrix)  # None: no three-year view, or not yet shown
    if foresight is not None and filters.foresight:
        chart_arrows.foresight_arrows_add(figure, foresight=foresight, rows=placed_rows)
    context = {
        "round": scoring_round,
        "filters": filters,
        "table_headers": _table_headers(filters.sort),
        "figure": figure,
        "foresight": foresight,
        "foresight_complete": len(foresight.arrow_rows(placed_rows)) if foresight else 0,
        "placed_count": len(placed_rows),
        "matrix_axes_without_factors": matrix.axes_without_factors,
        "page": page,
        "page_positions": [matrix.position(row) for row in page.object_list],
        "box_counts": [
            (box, matrix.labels[box], int((placed_boxes == box).sum())) for box in engine.BOXES
        ],
        "incomplete": [matrix.position(row) for row in unplaced_rows[:INCOMPLETE_LISTED]],
        "incomplete_more": max(len(unplaced_rows) - INCOMPLETE_LISTED, 0),
        "unrated_count": int(matrix.rated_nothing.sum()),
        "segments": Segment.objects.all(),
        "owners": account_owners(),
        "box_choices": list(matrix.labels.items()),
        "tier_choices": Tier.values,
        "can_manage": user_can_manage_rounds(user=request.user),
    }
    # Each row of the table with its position in three years (None without the view).
    context["page_rows"] = [
        (position, foresight.position(row) if foresight else None)
        for row, position in zip(page.object_list, context["page_positions"], strict=True)
    ]
    if context["can_manage"] and not wants_partial(request):
        # Who changed what: for the team and admins, who run the round.
        context["history"] = round_history(scoring_round=scoring_round, reader=request.user)
    return render_page_or_partial(request, "scoring/round_detail.html", "matrix-body", context)


def _table_headers(sort: str) -> list[dict]:
    """The accounts table's headers: each one's aria-sort state and the order a click asks
    for (text columns A to Z first, numbers largest first; a second click reverses)."""
    columns = {
        "name": (_("Account"), False),
        "attractiveness": (_("Attractiveness"), True),
        "strength": (_("Relative strength"), True),
        "box": (_("Box"), False),
        "tier": (_("Tier"), False),
        "revenue": (_("Revenue"), True),
    }
    headers = []
    for column in MATRIX_SORTS:
        label, numeric = columns[column]
        state = "none"
        if sort.removeprefix("-") == column:
            state = "descending" if sort.startswith("-") else "ascending"
        descending_next = state == "ascending" or (state == "none" and numeric)
        headers.append(
            {
                "column": column,
                "label": label,
                "numeric": numeric,
                "state": state,
                "next": f"-{column}" if descending_next else column,
            }
        )
    return headers
