"""The selection team's pages: team and stages, disagreement and consensus, the meeting,
sensitivity, decisions, review against the previous round, and the meeting pack."""

import numpy as np
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import CompanySettings, Customer, CustomerMetrics

from . import charts, engine, exports, images
from .forms import parse_id, posted_cell
from .models import Decision, RoundMember, ScoringRound
from .selectors import (
    _rating_frame,
    ratings_revealed,
    round_calibration,
    round_decisions,
    round_disagreement,
    round_matrix,
    round_previous,
    round_review,
    round_sensitivity,
    round_view_rater,
)
from .services import (
    STAGE_FLOW,
    consensus_record,
    decision_record,
    round_adopt_weights,
    round_member_set,
    round_transition,
    user_can_manage_rounds,
    user_follows_meeting,
    user_is_coordinator,
)

can_view_rounds = permission_required("scoring.view_scoringround", raise_exception=True)
DISAGREEMENT_LISTED = 100


def _round(pk: int) -> ScoringRound:
    return get_object_or_404(ScoringRound, pk=pk)


def _require_revealed(scoring_round: ScoringRound, user) -> None:
    """The meeting's pages: for the selection team and the round's members, and only once
    the ratings are revealed (blind scoring)."""
    if not user_follows_meeting(user=user, scoring_round=scoring_round):
        raise PermissionDenied(_("The meeting's pages are for the round's selection team."))
    if not ratings_revealed(scoring_round=scoring_round):
        raise PermissionDenied(_("Ratings are revealed when the round reaches the meeting."))


def _float(value: str | None, default: float | None = None) -> float | None:
    try:
        number = float((value or "").replace(",", "."))
    except ValueError:
        return default
    return number if np.isfinite(number) else default


@require_GET
@can_view_rounds
def round_team(request, pk: int):
    scoring_round = _round(pk)
    members = scoring_round.members.select_related("user")
    return render(
        request,
        "scoring/round_team.html",
        {
            "round": scoring_round,
            "members": members,
            "team_roles": RoundMember.TeamRole.choices,
            "candidates": get_user_model()
            .objects.filter(is_active=True)
            .exclude(pk__in=members.values("user_id"))
            .order_by("username"),
            "is_coordinator": user_is_coordinator(user=request.user, scoring_round=scoring_round),
            "next_stages": [
                ScoringRound.Status(status) for status in STAGE_FLOW.get(scoring_round.status, ())
            ],
        },
    )


@require_POST
@permission_required("scoring.change_roundmember", raise_exception=True)
def round_member_save(request, pk: int):
    scoring_round = _round(pk)
    member = get_object_or_404(get_user_model(), pk=request.POST.get("user") or 0)
    team_role = request.POST.get("team_role", "")
    if team_role and team_role not in RoundMember.TeamRole.values:
        messages.error(request, _("Choose a team role."))
        return redirect("round_team", pk=pk)
    try:
        round_member_set(
            scoring_round=scoring_round, member=member, team_role=team_role, user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("round_team", pk=pk)


@require_POST
@permission_required("scoring.change_scoringround", raise_exception=True)
def round_stage(request, pk: int):
    scoring_round = _round(pk)
    try:
        round_transition(
            scoring_round=scoring_round, to_status=request.POST.get("status", ""), user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The round is now in %(stage)s.") % {"stage": scoring_round.get_status_display()},
        )
    return redirect("round_team", pk=pk)


@require_GET
def round_disagreement_view(request, pk: int):
    """Cells sorted by how much the raters differ, and who rates high or low (calibration)."""
    scoring_round = _round(pk)
    _require_revealed(scoring_round, request.user)
    return render(
        request,
        "scoring/round_disagreement.html",
        {
            "round": scoring_round,
            "cells": round_disagreement(scoring_round=scoring_round, limit=DISAGREEMENT_LISTED),
            "calibration": round_calibration(scoring_round=scoring_round),
            "is_coordinator": user_is_coordinator(user=request.user, scoring_round=scoring_round),
            "editable": scoring_round.status == ScoringRound.Status.MEETING,
        },
    )


@require_POST
@permission_required("scoring.add_consensus", raise_exception=True)
def consensus_save(request, pk: int):
    """Record one cell's consensus (htmx): the input comes back with its state."""
    scoring_round = _round(pk)
    customer, factor, competitor = posted_cell(request.POST, scoring_round=scoring_round)
    raw_value = request.POST.get("value", "")
    error = ""
    try:
        consensus_record(
            scoring_round=scoring_round,
            customer=customer,
            factor=factor,
            competitor=competitor,
            raw_value=raw_value,
            user=request.user,
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return render(
        request,
        "scoring/_consensus_cell.html",
        {
            "round": scoring_round,
            "customer": customer,
            "factor": factor,
            "competitor": competitor,
            "value": raw_value,
            "error": error,
            "saved": not error,
            "editable": True,
        },
        status=422 if error else 200,
    )


def _meeting_order(matrix) -> list[int]:
    """Rows to step through: placed accounts box by box, most attractive first, then the
    incomplete ones that have ratings."""
    order = {box: index for index, box in enumerate(engine.BOXES)}
    placed = sorted(
        np.flatnonzero(matrix.result.complete),
        key=lambda row: (order[matrix.result.box[row]], -matrix.result.attractiveness[row]),
    )
    incomplete = np.flatnonzero(~matrix.result.complete & ~matrix.rated_nothing).tolist()
    return [int(row) for row in placed] + incomplete


@require_GET
def round_meeting(request, pk: int):
    """The projector view: the matrix large, one account at a time, decision at hand."""
    scoring_round = _round(pk)
    _require_revealed(scoring_round, request.user)
    matrix = round_matrix(scoring_round=scoring_round)
    order = _meeting_order(matrix)
    if not order:
        return render(
            request, "scoring/round_meeting.html", {"round": scoring_round, "empty": True}
        )
    step_param = request.GET.get("step", "1")
    step = min(max(parse_id(step_param) or 1, 1), len(order))
    account = request.GET.get("account", "")
    if parse_id(account) is not None:
        # Jump to one account (e.g. from the disagreement list), when it is in the meeting.
        rows = {matrix.customers[row].pk: index for index, row in enumerate(order, start=1)}
        step = rows.get(parse_id(account), step)
    row = order[step - 1]
    position = matrix.position(row)
    figure = charts.matrix_figure(matrix=matrix, rows=matrix.placed_rows(), highlight=row)
    context = {
        "round": scoring_round,
        "step": step,
        "steps": len(order),
        "previous_step": step - 1 if step > 1 else None,
        "next_step": step + 1 if step < len(order) else None,
        "position": position,
        "customer": Customer.objects.get(pk=position.customer.pk),
        "metrics": CustomerMetrics.objects.filter(customer_id=position.customer.pk).first(),
        "figure": figure,
        **_account_ratings_context(scoring_round, matrix, position),
        **_decision_context(request, scoring_round, position),
    }
    template = "scoring/round_meeting.html"
    if request.htmx and not request.htmx.boosted:
        template += "#meeting-body"
    return render(request, template, context)


def _account_ratings_context(scoring_round, matrix, position) -> dict:
    """Each factor's ratings by rater, their spread and the consensus, for one account."""
    customer_id = position.customer.pk
    frame = _rating_frame(scoring_round=scoring_round, customer_ids=[customer_id])
    raters = {
        user.pk: user.username
        for user in get_user_model().objects.filter(pk__in=frame["rater"].unique().tolist())
    }
    cells = {
        (cell.factor.pk, cell.competitor.pk if cell.competitor else None): cell
        for cell in round_disagreement(scoring_round=scoring_round, customer_ids=[customer_id])
    }
    subjects = [None, *matrix.competitors]
    names = sorted(raters.values())
    rows = []
    for factor in matrix.attractiveness_factors + matrix.strength_factors:
        for competitor in subjects if factor.axis == "strength" else [None]:
            competitor_id = competitor.pk if competitor else None
            on_cell = frame["factor"] == factor.pk
            on_cell &= (
                frame["competitor"].isna()
                if competitor is None
                else (frame["competitor"] == competitor_id)
            )
            given = dict(
                zip(
                    frame.loc[on_cell, "rater"].map(raters),
                    frame.loc[on_cell, "value"],
                    strict=True,
                )
            )
            rows.append(
                {
                    "factor": factor,
                    "competitor": competitor,
                    "values": [given.get(name) for name in names],
                    "spread": cells.get((factor.pk, competitor_id)),
                }
            )
    return {"rating_rows": rows, "raters": names}


SUGGESTED_COVERAGE = {
    engine.KEY: Decision.Coverage.FARMER,
    engine.KEY_DEVELOPMENT: Decision.Coverage.FARMER,
    engine.MAINTENANCE: Decision.Coverage.MILK_ROUND,
    engine.OPPORTUNISTIC: Decision.Coverage.MILK_ROUND,
}


def _decision_context(request, scoring_round, position, posted=None) -> dict:
    """The decision form's values: what was just posted, else the recorded decision, else
    the box and its usual coverage as the suggestion."""
    decision = Decision.objects.filter(
        round=scoring_round, customer_id=position.customer.pk
    ).first()
    posted = posted or {}
    return {
        "decision": decision,
        "decision_choices": Decision.Choice.choices,
        "coverage_choices": Decision.Coverage.choices,
        "choice_value": posted.get("choice") or (decision.choice if decision else position.box),
        "coverage_value": posted.get("coverage")
        or (decision.coverage if decision else SUGGESTED_COVERAGE.get(position.box, "hunter")),
        "rationale_value": posted.get("rationale", decision.rationale if decision else ""),
        "is_coordinator": user_is_coordinator(user=request.user, scoring_round=scoring_round),
        "can_decide": scoring_round.status == ScoringRound.Status.MEETING,
    }


@require_POST
@permission_required("scoring.add_decision", raise_exception=True)
def decision_save(request, pk: int, customer_id: int):
    scoring_round = _round(pk)
    customer = get_object_or_404(Customer, pk=customer_id)
    matrix = round_matrix(scoring_round=scoring_round, customer_ids=[customer.pk])
    position = matrix.position(0)
    error = ""
    try:
        decision_record(
            scoring_round=scoring_round,
            customer=customer,
            choice=request.POST.get("choice", ""),
            coverage=request.POST.get("coverage", ""),
            rationale=request.POST.get("rationale", ""),
            box=position.box,
            user=request.user,
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    context = {
        "round": scoring_round,
        "position": position,
        "error": error,
        "saved": not error,
        **_decision_context(request, scoring_round, position, posted=request.POST),
    }
    return render(request, "scoring/_decision_form.html", context, status=422 if error else 200)


@require_GET
def round_decisions_view(request, pk: int):
    scoring_round = _round(pk)
    _require_revealed(scoring_round, request.user)
    decisions = round_decisions(scoring_round=scoring_round)
    limit = CompanySettings.load().key_account_limit
    key_count = sum(1 for d in decisions.values() if d.choice == Decision.Choice.KEY)
    return render(
        request,
        "scoring/round_decisions.html",
        {
            "round": scoring_round,
            "decisions": sorted(decisions.values(), key=lambda d: d.customer.name),
            "key_count": key_count,
            "key_limit": limit,
            "over_limit": key_count > limit,
        },
    )


@require_GET
@can_view_rounds
def round_sensitivity_view(request, pk: int):
    """Move weight between pure and realistic factors, and the cut-offs; see who moves."""
    scoring_round = _round(pk)
    matrix = round_matrix(
        scoring_round=scoring_round,
        rater=round_view_rater(scoring_round=scoring_round, user=request.user),
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
        "can_adopt": user_can_manage_rounds(user=request.user)
        and scoring_round.status not in {"decided", "archived"},
    }
    template = "scoring/round_sensitivity.html"
    if request.htmx and not request.htmx.boosted:
        template += "#sensitivity-body"
    return render(request, template, context)


def _sensitivity_from(params, *, matrix):
    """The balance (share, in %) and cut-offs the controls send, within their ranges."""

    def clamped(key: str) -> float | None:
        value = _float(params.get(key))
        return None if value is None else min(max(value, 0.0), 10.0)

    share = _float(params.get("share"))
    return round_sensitivity(
        matrix=matrix,
        share=None if share is None else share / 100,
        attractiveness_cutoff=clamped("a_cut"),
        strength_cutoff=clamped("s_cut"),
    )


@require_POST
@permission_required("scoring.change_factor", raise_exception=True)
def round_adopt(request, pk: int):
    scoring_round = _round(pk)
    matrix = round_matrix(scoring_round=scoring_round)
    sensitivity = _sensitivity_from(request.POST, matrix=matrix)
    try:
        round_adopt_weights(
            scoring_round=scoring_round,
            weights=sensitivity.weights,
            cutoffs=(sensitivity.attractiveness_cutoff, sensitivity.strength_cutoff),
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The round now uses these weights and cut-offs."))
    return redirect("round_sensitivity", pk=pk)


@require_GET
def round_review_view(request, pk: int):
    scoring_round = _round(pk)
    _require_revealed(scoring_round, request.user)
    previous = round_previous(scoring_round=scoring_round)
    context = {"round": scoring_round, "previous": previous}
    if previous is not None:
        review = round_review(scoring_round=scoring_round, previous=previous)
        context |= review
        context["figure"] = charts.review_figure(review=review)
    return render(request, "scoring/round_review.html", context)


@require_GET
def round_pack(request, pk: int):
    scoring_round = _round(pk)
    if not user_follows_meeting(user=request.user, scoring_round=scoring_round):
        raise PermissionDenied(_("The meeting pack is for the round's selection team."))
    rater = round_view_rater(scoring_round=scoring_round, user=request.user)
    matrix = round_matrix(scoring_round=scoring_round, rater=rater)
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="round-{scoring_round.pk}-pack.xlsx"'
    exports.round_write_pack(matrix=matrix, stream=response, rater=rater)
    return response


@require_GET
@can_view_rounds
def round_image(request, pk: int, image_format: str):
    scoring_round = _round(pk)
    matrix = round_matrix(
        scoring_round=scoring_round,
        rater=round_view_rater(scoring_round=scoring_round, user=request.user),
    )
    content_type = {"png": "image/png", "svg": "image/svg+xml"}.get(image_format)
    if content_type is None:
        raise Http404
    response = HttpResponse(
        images.matrix_image(matrix=matrix, image_format=image_format), content_type=content_type
    )
    response["Content-Disposition"] = (
        f'attachment; filename="round-{scoring_round.pk}-matrix.{image_format}"'
    )
    return response
