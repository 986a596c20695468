"""Pages for selection rounds: the matrix, factor sets, rating grids, account positions."""

from decimal import Decimal

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from accounts.models import Customer, Segment, Tier

from . import charts, engine, exports
from .forms import FactorFormSet, RoundCreateForm, factor_initial, parse_id, posted_cell
from .models import Axis, Factor, ScoringRound
from .selectors import (
    optional_float,
    round_factors,
    round_history,
    round_list,
    round_matrix,
    round_previous,
    round_view_rater,
)
from .services import (
    factor_set_save,
    rating_record,
    round_create,
    user_can_manage_rounds,
    user_can_rate,
)

# Every page checks a model permission (403 without it); objects are checked in services.
can_view_rounds = permission_required("scoring.view_scoringround", raise_exception=True)
can_rate = permission_required("scoring.change_rating", raise_exception=True)
GRID_PAGE_SIZE = 25
TABLE_PAGE_SIZE = 50
INCOMPLETE_LISTED = 50


def _round_or_404(pk: int) -> ScoringRound:
    return get_object_or_404(ScoringRound, pk=pk)


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
        initial={"date": timezone.localdate(), "copy_factors_from": round_previous()},
    )
    if request.method == "POST" and form.is_valid():
        scoring_round = round_create(
            name=form.cleaned_data["name"],
            date=form.cleaned_data["date"],
            created_by=request.user,
            copy_factors_from=form.cleaned_data["copy_factors_from"],
        )
        messages.success(request, _("Round created. Agree its factors and weights next."))
        return redirect("factor_set", pk=scoring_round.pk)
    # A POST that reaches this point did not save: its errors come back with 422.
    status = 422 if request.method == "POST" else 200
    return render(request, "scoring/round_new.html", {"form": form}, status=status)


@require_GET
@can_view_rounds
def round_detail(request, pk: int):
    """The matrix dashboard: chart, filters, the accounts table and what is incomplete."""
    scoring_round = _round_or_404(pk)
    filters = {
        "segment": parse_id(request.GET.get("segment")),
        "owner": parse_id(request.GET.get("owner")),
        "box": request.GET.get("box") if request.GET.get("box") in engine.BOXES else "",
        "tier": request.GET.get("tier") if request.GET.get("tier") in Tier.values else "",
    }
    matrix = round_matrix(
        scoring_round=scoring_round,
        rater=round_view_rater(scoring_round=scoring_round, user=request.user),
        segment_id=filters["segment"],
        owner_id=filters["owner"],
        tier=filters["tier"] or None,
        box=filters["box"] or None,
    )
    placed_rows = matrix.placed_rows()
    page = Paginator(placed_rows, TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    unplaced_rows = np.flatnonzero(~matrix.result.complete & ~matrix.rated_nothing)
    placed_boxes = matrix.result.box[placed_rows]
    context = {
        "round": scoring_round,
        "filters": filters,
        "figure": charts.matrix_figure(matrix=matrix, rows=placed_rows),
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
        "owners": _owners(),
        "box_choices": list(matrix.labels.items()),
        "tier_choices": Tier.values,
        "can_manage": user_can_manage_rounds(user=request.user),
    }
    template = "scoring/round_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#matrix-body"
    elif context["can_manage"]:
        # Who changed what: for the team and admins, who run the round.
        context["history"] = round_history(scoring_round=scoring_round)
    return render(request, template, context)


def _owners():
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(owned_customers__isnull=False)
        .distinct()
        .order_by("first_name", "username")
    )


@require_http_methods(["GET", "POST"])
@permission_required("scoring.view_factor", raise_exception=True)
def factor_set(request, pk: int):
    """Both axes' factor sets; the team and admins edit, everyone else reads."""
    scoring_round = _round_or_404(pk)
    can_edit = request.user.has_perm("scoring.change_factor")
    factors = round_factors(scoring_round=scoring_round)
    formsets = {
        axis: FactorFormSet(prefix=axis, axis=axis, initial=factor_initial(factors[axis]))
        for axis in (Axis.ATTRACTIVENESS, Axis.STRENGTH)
    }
    errors = {}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        axis = request.POST.get("axis")
        if axis not in formsets:
            raise Http404
        formset = FactorFormSet(request.POST, prefix=axis, axis=axis)
        formsets[axis] = formset
        if formset.is_valid():
            try:
                factor_set_save(
                    scoring_round=scoring_round, axis=axis, factors=formset.factor_rows()
                )
            except ValidationError as exc:
                errors[axis] = exc.messages
            else:
                messages.success(request, _("%(axis)s factors saved.") % {"axis": Axis(axis).label})
                return redirect("factor_set", pk=scoring_round.pk)
    sections = [
        {
            "axis": axis,
            "label": Axis(axis).label,
            "formset": formset,
            "errors": errors.get(axis, []),
            "total": _weights_total(formset),
        }
        for axis, formset in formsets.items()
    ]
    # A POST that reaches this point did not save: say so to htmx and to tests.
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "scoring/factor_set.html",
        {"round": scoring_round, "sections": sections, "can_edit": can_edit},
        status=status,
    )


def _weights_total(formset) -> Decimal:
    """Sum of the weights as typed (bound) or as stored (unbound), ignoring removed rows."""
    total = Decimal(0)
    if not formset.is_bound:
        return sum((Decimal(row["weight"]) for row in formset.initial or []), Decimal(0))
    for index in range(formset.total_form_count()):
        prefix = f"{formset.prefix}-{index}"
        if formset.data.get(f"{prefix}-DELETE"):
            continue
        try:
            weight = Decimal(formset.data.get(f"{prefix}-weight") or 0)
            if weight.is_finite():
                total += weight
        except (ArithmeticError, ValueError):  # not a number, or one beyond any sum
            continue
    return total


@require_POST
@permission_required("scoring.change_factor", raise_exception=True)
def factor_weight_sum(request, pk: int, axis: str):
    """The running sum of an axis's weights, as they are typed."""
    if axis not in Axis.values:
        raise Http404
    formset = FactorFormSet(request.POST, prefix=axis, axis=axis)
    return render(
        request,
        "scoring/factor_set.html#weight-sum",
        {"section": {"axis": axis, "total": _weights_total(formset)}},
    )


@require_GET
@can_view_rounds
@can_rate
def rating_grid(request, pk: int):
    """A rater's accounts × attractiveness factors, with their own scores per row."""
    scoring_round = _round_or_404(pk)
    own_accounts_only = not request.user.has_perm("scoring.rate_any_account")
    customers = Customer.objects.order_by("name", "pk")
    owner_id = parse_id(request.GET.get("owner"))
    segment_id = parse_id(request.GET.get("segment"))
    if own_accounts_only:
        customers = customers.filter(owner=request.user)
    elif owner_id:
        customers = customers.filter(owner_id=owner_id)
    if segment_id:
        customers = customers.filter(segment_id=segment_id)
    page = Paginator(customers.values_list("pk", flat=True), GRID_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    matrix = round_matrix(
        scoring_round=scoring_round, rater=request.user, customer_ids=list(page.object_list)
    )
    context = {
        "round": scoring_round,
        "matrix": matrix,
        "rows": [
            (
                position,
                list(
                    zip(matrix.attractiveness_factors, position.attractiveness_ratings, strict=True)
                ),
            )
            for position in matrix.positions
        ],
        "page": page,
        "is_manager": own_accounts_only,
        "owners": _owners(),
        "segments": Segment.objects.all(),
        "owner_id": owner_id,
        "segment_id": segment_id,
        "editable": scoring_round.status not in {"decided", "archived"},
    }
    return render(request, "scoring/rating_grid.html", context)


@require_POST
@can_view_rounds
@can_rate
def rating_save(request, pk: int):
    """Save one cell (htmx): the cell comes back, with the account's scores out of band."""
    scoring_round = _round_or_404(pk)
    customer, factor, competitor = posted_cell(request.POST, scoring_round=scoring_round)
    raw_value = request.POST.get("value", "")
    error = ""
    try:
        rating_record(
            scoring_round=scoring_round,
            customer=customer,
            factor=factor,
            competitor=competitor,
            rater=request.user,
            raw_value=raw_value,
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    matrix = round_matrix(
        scoring_round=scoring_round, rater=request.user, customer_ids=[customer.pk]
    )
    position = matrix.positions[0]
    stored = _stored_value(matrix, factor, competitor)
    context = {
        "round": scoring_round,
        "customer": customer,
        "factor": factor,
        "competitor": competitor,
        "value": raw_value if error else stored,
        "stored": stored,
        "error": error,
        "position": position,
        "oob": True,
        "editable": True,
    }
    response = render(request, "scoring/_rating_saved.html", context, status=422 if error else 200)
    if not error:
        trigger_client_event(
            response, "ratingSaved", {"customer": customer.pk, "box": position.box}
        )
    return response


def _stored_value(matrix, factor: Factor, competitor) -> float | None:
    if factor.axis == Axis.ATTRACTIVENESS:
        column = [f.pk for f in matrix.attractiveness_factors].index(factor.pk)
        return matrix.positions[0].attractiveness_ratings[column]
    column = [f.pk for f in matrix.strength_factors].index(factor.pk)
    subject = (
        0 if competitor is None else 1 + [c.pk for c in matrix.competitors].index(competitor.pk)
    )
    return optional_float(matrix.strength_ratings[0, subject, column])


@require_GET
@can_view_rounds
@permission_required("accounts.view_customer", raise_exception=True)
def round_account(request, pk: int, customer_id: int):
    """Why an account sits where it does, and (for raters) its rating cells."""
    scoring_round = _round_or_404(pk)
    customer = get_object_or_404(
        Customer.objects.select_related("segment", "owner"), pk=customer_id
    )
    combined = round_matrix(
        scoring_round=scoring_round,
        rater=round_view_rater(scoring_round=scoring_round, user=request.user),
        customer_ids=[customer.pk],
    )
    position = combined.positions[0]
    can_rate = user_can_rate(user=request.user, customer=customer)
    own = (
        round_matrix(scoring_round=scoring_round, rater=request.user, customer_ids=[customer.pk])
        if can_rate
        else None
    )
    own_position = own.positions[0] if own else None
    attractiveness_rows = [
        {
            "factor": factor,
            "rating": position.attractiveness_ratings[column],
            "contribution": position.attractiveness_contributions[column],
            "own": own_position.attractiveness_ratings[column] if own else None,
        }
        for column, factor in enumerate(combined.attractiveness_factors)
    ]
    subjects = [None, *combined.competitors]
    strength_rows = [
        {
            "factor": factor,
            "combined": [optional_float(v) for v in combined.strength_ratings[0, :, column]],
            "cells": list(
                zip(
                    subjects,
                    [optional_float(v) for v in own.strength_ratings[0, :, column]],
                    strict=True,
                )
            )
            if own
            else [],
        }
        for column, factor in enumerate(combined.strength_factors)
    ]
    context = {
        "round": scoring_round,
        "customer": customer,
        "position": position,
        "own_position": own_position,
        "matrix": combined,
        "subjects": subjects,
        "attractiveness_rows": attractiveness_rows,
        "strength_rows": strength_rows,
        "can_rate": can_rate and scoring_round.status not in {"decided", "archived"},
        "competitor_strengths": [
            (competitor, optional_float(v))
            for competitor, v in zip(
                combined.competitors, combined.result.competitor_strength[0], strict=True
            )
        ],
        "attractiveness_figure": charts.contribution_figure(
            factors=combined.attractiveness_factors,
            contributions=position.attractiveness_contributions,
            title=_("Contributions to attractiveness"),
        ),
        "strength_figure": charts.contribution_figure(
            factors=combined.strength_factors,
            contributions=position.strength_contributions,
            title=_("Contributions to our strength"),
        ),
    }
    if can_rate:
        # The account's owner, the team and admins see who changed its ratings.
        context["history"] = round_history(scoring_round=scoring_round, customer=customer)
    return render(request, "scoring/round_account.html", context)


@require_GET
@can_view_rounds
def round_export_csv(request, pk: int):
    scoring_round = _round_or_404(pk)
    matrix = round_matrix(
        scoring_round=scoring_round,
        rater=round_view_rater(scoring_round=scoring_round, user=request.user),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="round-{scoring_round.pk}.csv"'
    exports.round_write_csv(matrix=matrix, stream=response)
    return response
