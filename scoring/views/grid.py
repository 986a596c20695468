"""The rating grid and the save of one rating cell."""

from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from kamapp.forms import parse_id

from ..permissions import can_rate, can_view_rounds
from ..selectors import rater_cell_value, rating_grid_page, round_matrix
from ..services import rating_record
from .base import cell_save, round_or_404


@require_GET
@can_view_rounds
@can_rate
def rating_grid(request, pk: int):
    """A rater's accounts × attractiveness factors, with their own scores per row."""
    context = rating_grid_page(
        scoring_round=round_or_404(pk),
        user=request.user,
        owner_id=parse_id(request.GET.get("owner")),
        segment_id=parse_id(request.GET.get("segment")),
        page=parse_id(request.GET.get("page")),
        search=request.GET.get("q", "").strip()[:100],
        unrated=request.GET.get("unrated") == "1",
    )
    return render(request, "scoring/rating_grid.html", context)


@require_POST
@can_view_rounds
@can_rate
def rating_save(request, pk: int):
    """Save one cell (htmx): the cell comes back, with the account's scores out of band."""
    scoring_round = round_or_404(pk)
    context = cell_save(
        request, scoring_round=scoring_round, record=rating_record, rater=request.user
    )
    customer, error = context["customer"], context["error"]
    matrix = round_matrix(
        scoring_round=scoring_round, rater=request.user, customer_ids=[customer.pk]
    )
    position = matrix.positions[0]
    stored = rater_cell_value(
        matrix=matrix, factor=context["factor"], competitor=context["competitor"]
    )
    context |= {
        # A refused entry stays in the cell as it was typed, for the person to correct.
        "typed": context["raw_value"] if error else None,
        "value": stored,
        "position": position,
        "oob": True,
    }
    response = render(request, "scoring/_rating_saved.html", context, status=422 if error else 200)
    if not error:
        trigger_client_event(
            response, "ratingSaved", {"customer": customer.pk, "box": position.box}
        )
    return response
