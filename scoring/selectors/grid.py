"""Reads for the rating grid and an account's page: the cells a rater fills in."""

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Customer, Segment

from .. import charts
from ..models import Axis, Rating, ScoringRound
from ..permissions import user_can_rate
from .matrix import optional_float, round_matrix, round_matrix_seen_by
from .rounds import round_factors, round_history

GRID_PAGE_SIZE = 25


def account_owners():
    """The people who own at least one account, for the owner filters."""
    return (
        get_user_model()
        .objects.filter(owned_customers__isnull=False)
        .distinct()
        .order_by("first_name", "username")
    )


def rating_grid_page(
    *,
    scoring_round: ScoringRound,
    user,
    owner_id: int | None,
    segment_id: int | None,
    page,
    search: str = "",
    unrated: bool = False,
) -> dict:
    """One page of a rater's accounts × factors, with their own scores per row.

    Sales managers see only the accounts they own; the team and admins filter by owner.
    `search` finds accounts by name or code; `unrated` keeps the accounts with a grid cell
    this rater has not rated yet (their own cells only: scoring stays blind).
    """
    own_accounts_only = not user.has_perm("scoring.rate_any_account")
    customers = Customer.objects.order_by("name", "pk")
    if own_accounts_only:
        customers = customers.filter(owner=user)
    elif owner_id:
        customers = customers.filter(owner_id=owner_id)
    if segment_id:
        customers = customers.filter(segment_id=segment_id)
    if search:
        customers = customers.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if unrated:
        customers = _with_unrated_cells(customers, scoring_round=scoring_round, rater=user)
    page = Paginator(customers.values_list("pk", flat=True), GRID_PAGE_SIZE).get_page(page)
    matrix = round_matrix(
        scoring_round=scoring_round, rater=user, customer_ids=list(page.object_list)
    )
    return {
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
        "owners": account_owners(),
        "segments": Segment.objects.all(),
        "owner_id": owner_id,
        "segment_id": segment_id,
        "search": search,
        "unrated": unrated,
        "editable": not scoring_round.is_locked,
    }


def _with_unrated_cells(customers: QuerySet, *, scoring_round: ScoringRound, rater) -> QuerySet:
    """The accounts where this rater has left a grid cell (a factor rated by people) empty."""
    factor_ids = [
        factor.pk
        for factor in round_factors(scoring_round=scoring_round)[Axis.ATTRACTIVENESS]
        if not factor.metric
    ]
    if not factor_ids:
        return customers.none()
    fully_rated = (
        Rating.objects.filter(
            round=scoring_round, rater=rater, factor_id__in=factor_ids, competitor__isnull=True
        )
        .values("customer_id")
        .annotate(cells=Count("factor_id", distinct=True))
        .filter(cells=len(factor_ids))
        .values("customer_id")
    )
    return customers.exclude(pk__in=fully_rated)


def rater_cell_value(*, matrix, factor, competitor) -> float | None:
    """The value a one-account matrix holds for one cell (the rater's own, as stored)."""
    if factor.axis == Axis.ATTRACTIVENESS:
        column = [f.pk for f in matrix.attractiveness_factors].index(factor.pk)
        return matrix.positions[0].attractiveness_ratings[column]
    column = [f.pk for f in matrix.strength_factors].index(factor.pk)
    subject = (
        0 if competitor is None else 1 + [c.pk for c in matrix.competitors].index(competitor.pk)
    )
    return optional_float(matrix.strength_ratings[0, subject, column])


def round_account_detail(*, scoring_round: ScoringRound, customer: Customer, user) -> dict:
    """Why an account sits where it does and, for those who rate it, their own cells and
    its rating history."""
    combined = round_matrix_seen_by(
        scoring_round=scoring_round,
        user=user,
        customer_ids=[customer.pk],
    )
    position = combined.positions[0]
    can_rate = user_can_rate(user=user, customer=customer)
    own = (
        round_matrix(scoring_round=scoring_round, rater=user, customer_ids=[customer.pk])
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
        "can_rate": can_rate and not scoring_round.is_locked,
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
        context["history"] = round_history(
            scoring_round=scoring_round, reader=user, customer=customer
        )
    return context
