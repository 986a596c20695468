"""A round's downloads: the CSV, the meeting pack and the matrix as an image."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import exports, images, pack
from ..forms import matrix_filters_parse
from ..permissions import can_view_rounds, round_view_rater, user_follows_meeting
from ..selectors import (
    matrix_filters_describe,
    round_foresight,
    round_matrix,
    round_matrix_seen_by,
)
from .base import round_or_404


@require_GET
@can_view_rounds
def round_export_csv(request, pk: int):
    scoring_round = round_or_404(pk)
    matrix = round_matrix_seen_by(
        scoring_round=scoring_round,
        user=request.user,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="round-{scoring_round.pk}.csv"'
    exports.round_write_csv(matrix=matrix, stream=response)
    return response


@require_GET
def round_pack(request, pk: int):
    scoring_round = round_or_404(pk)
    if not user_follows_meeting(user=request.user, scoring_round=scoring_round):
        raise PermissionDenied(_("The meeting pack is for the round's selection team."))
    rater = round_view_rater(scoring_round=scoring_round, user=request.user)
    matrix = round_matrix(scoring_round=scoring_round, rater=rater)
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="round-{scoring_round.pk}-pack.xlsx"'
    pack.round_write_pack(matrix=matrix, stream=response, rater=rater)
    return response


@require_GET
@can_view_rounds
def round_image(request, pk: int, image_format: str):
    """The matrix as an image, with the matrix page's filters (its query) and naming them."""
    scoring_round = round_or_404(pk)
    content_type = {"png": "image/png", "svg": "image/svg+xml"}.get(image_format)
    if content_type is None:
        raise Http404
    filters = matrix_filters_parse(request.GET)
    matrix = round_matrix_seen_by(scoring_round=scoring_round, user=request.user, **filters.scope)
    image = images.matrix_image(
        matrix=matrix,
        image_format=image_format,
        filters=matrix_filters_describe(filters=filters, labels=matrix.labels),
        # The page's "In three years" arrows, where the round may show them.
        foresight=round_foresight(matrix=matrix) if filters.foresight else None,
    )
    response = HttpResponse(image, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="round-{scoring_round.pk}-matrix.{image_format}"'
    )
    return response
