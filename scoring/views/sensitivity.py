"""Sensitivity: move weight between pure and realistic factors and the cut-offs, and adopt."""

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kamapp.forms import parse_float
from kamapp.htmx import render_page_or_partial

from .. import charts, engine
from ..permissions import can_view_rounds, user_can_manage_rounds
from ..selectors import round_matrix, round_matrix_seen_by, round_sensitivity
from ..services import adoption_check_allowed, factor_set_version, round_adopt_weights
from .base import round_or_404


@require_GET
@can_view_rounds
def round_sensitivity_view(request, pk: int):
    """Move weight between pure and realistic factors, and the cut-offs; see who moves."""
    scoring_round = round_or_404(pk)
    matrix = round_matrix_seen_by(
        scoring_round=scoring_round,
        user=request.user,
    )
    sensitivity = _sensitivity_from(request.GET, matrix=matrix)
    shown = np.flatnonzero(sensitivity.boxes != engine.NOT_PLACED)
    figure = charts.matrix_figure(
        matrix=matrix,
        rows=shown,
        attractiveness=sensitivity.attractiveness,
        cutoffs=(sensitivity.attractiveness_cutoff, sensitivity.strength_cutoff),
    )
    context = {
        "round": scoring_round,
        "sensitivity": sensitivity,
        "share_percent": round(sensitivity.share * 100),
        "current_percent": round(sensitivity.current_share * 100),
        "factor_weights": [
            (factor, sensitivity.weights[factor.pk]) for factor in matrix.attractiveness_factors
        ],
        "labels": matrix.labels,
        "figure": figure,
        "can_manage": user_can_manage_rounds(user=request.user),
        "can_adopt": user_can_manage_rounds(user=request.user) and scoring_round.in_meeting,
        "factors_version": factor_set_version(factors=matrix.attractiveness_factors),
    }
    return render_page_or_partial(
        request, "scoring/round_sensitivity.html", "sensitivity-body", context
    )


def _sensitivity_from(params, *, matrix):
    """The balance (share, in %) and cut-offs the controls send, within their ranges."""

    def clamped(key: str) -> float | None:
        value = parse_float(params.get(key))
        return None if value is None else min(max(value, 0.0), 10.0)

    share = parse_float(params.get("share"))
    return round_sensitivity(
        matrix=matrix,
        share=None if share is None else share / 100,
        attractiveness_cutoff=clamped("a_cut"),
        strength_cutoff=clamped("s_cut"),
    )


@require_POST
@permission_required("scoring.change_factor", raise_exception=True)
def round_adopt(request, pk: int):
    scoring_round = round_or_404(pk)
    # Refused before the matrix is computed: the answer cannot depend on the ratings.
    try:
        adoption_check_allowed(scoring_round=scoring_round, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("scoring:round_sensitivity", pk=pk)
    matrix = round_matrix(scoring_round=scoring_round)
    sensitivity = _sensitivity_from(request.POST, matrix=matrix)
    try:
        round_adopt_weights(
            scoring_round=scoring_round,
            weights=sensitivity.weights,
            cutoffs=(sensitivity.attractiveness_cutoff, sensitivity.strength_cutoff),
            user=request.user,
            version=request.POST.get("version", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The round now uses these weights and cut-offs."))
    return redirect("scoring:round_sensitivity", pk=pk)
