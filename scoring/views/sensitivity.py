"""Sensitivity: move weight between pure and realistic factors and the cut-offs, and adopt."""

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kamapp.htmx import render_page_or_partial, wants_partial

from .. import charts, engine
from ..forms import SensitivityForm
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
    form = SensitivityForm(request.GET)
    sensitivity = _sensitivity_from(form, matrix=matrix)
    shown = np.flatnonzero(sensitivity.boxes != engine.NOT_PLACED)
    figure = charts.matrix_figure(
        matrix=matrix,
        rows=shown,
        attractiveness=sensitivity.attractiveness,
        cutoffs=(sensitivity.attractiveness_cutoff, sensitivity.strength_cutoff),
        changed=sensitivity.changed_rows,
    )
    context = {
        "round": scoring_round,
        "form": form,
        # An htmx answer also replaces the form's messages, out of band.
        "oob": wants_partial(request),
        # A refused cut-off stays in its box as typed, for the person to correct.
        "typed": {
            name: form.data.get(name) if name in form.errors else format(value, "g")
            for name, value in (
                ("a_cut", sensitivity.attractiveness_cutoff),
                ("s_cut", sensitivity.strength_cutoff),
            )
        },
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


def _sensitivity_from(form: SensitivityForm, *, matrix):
    """The balance (share, in %) and cut-offs the controls send; a refused one (the form
    says why) leaves the round's own value in its place."""
    values = form.values()
    return round_sensitivity(
        matrix=matrix,
        share=None if values["share"] is None else values["share"] / 100,
        attractiveness_cutoff=values["a_cut"],
        strength_cutoff=values["s_cut"],
        share_in_percent_steps=True,
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
    form = SensitivityForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("scoring:round_sensitivity", pk=pk)
    matrix = round_matrix(scoring_round=scoring_round)
    sensitivity = _sensitivity_from(form, matrix=matrix)
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
