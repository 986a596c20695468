"""Data out: customers, tier history, rounds, a round's matrix and decisions. Every list is
cursor-paginated and every answer carries an ETag."""

import datetime as dt
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator

from accounts.models import Customer, Stage, Tier
from scoring.engine import BOXES
from scoring.models import Axis, Decision, ScoringRound

from .. import selectors
from ..errors import ApiError
from ..pagination import cursor_decode, cursor_encode, keyset_page, next_url, page_limit
from ..responses import etag_response
from ..schemas import (
    CustomerOut,
    CustomerPageOut,
    DecisionPageOut,
    MatrixPageOut,
    RoundOut,
    RoundPageOut,
    TierPageOut,
)
from .base import READ_ERRORS, require_perm, round_or_404

router = Router()


def _choice_field(allowed, description: str):
    """A choice filter whose values the OpenAPI description lists (empty: no filter);
    `_choice` checks them with the API's own error shape."""
    return Field("", description=description, json_schema_extra={"enum": ["", *allowed]})


def _iso_only(value):
    """pydantic also reads a bare number as Unix seconds: ISO 8601 only, as documented."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return value
        raise ValueError(_("An ISO 8601 date and time, e.g. 2026-01-31T00:00:00Z."))
    return value


IsoDateTime = Annotated[dt.datetime, BeforeValidator(_iso_only)]


class PageQuery(Schema):
    cursor: str | None = None
    limit: int | None = None


class AccountFilters(PageQuery):
    segment: str = Field("", description="A segment's name.")
    owner: str = Field("", description="The account owner's username.")
    tier: str = _choice_field(Tier.values, "A, B or C.")


class CustomerQuery(AccountFilters):
    stage: str = _choice_field(Stage.values, "new, growing, steady, declining, lapsed or none.")
    box: str = _choice_field(BOXES, "The box of the latest decided round's decision.")
    changed_since: IsoDateTime | None = Field(
        None,
        description="ISO 8601: only customers whose record, segment or owner name, metrics, "
        "tier, signals, stage, decisions or box changed at or after this time.",
    )


class MatrixQuery(AccountFilters):
    box: str = _choice_field(BOXES, "key, key_development, maintenance or opportunistic.")


def _choice(value: str, allowed, field: str) -> str:
    """A filter's value, which must be one of `allowed` (or empty: no filter)."""
    if value and value not in allowed:
        raise ApiError(
            422,
            "invalid",
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)},
            field=field,
        )
    return value


_METRIC_COLUMNS = tuple((name, f"metrics__{name}") for name in selectors.CUSTOMER_METRICS)
_SIGNAL_COLUMNS = tuple((name, f"metrics__{name}") for name in selectors.CUSTOMER_SIGNALS)


def _customer_out(row: dict) -> dict:
    """The answer for a row of `selectors.customer_rows` (no metrics row: no metrics)."""
    has_metrics = row["metrics__rank"] is not None
    return {
        "id": row["id"],
        "code": row["code"],
        "name": row["name"],
        "segment": row["segment__name"],
        "owner": row["owner__username"],
        "tier": row["metrics__tier"],
        "stage": row["metrics__stage"],
        "metrics": {name: row[column] for name, column in _METRIC_COLUMNS} if has_metrics else None,
        "signals": {
            **{name: bool(row[column]) for name, column in _SIGNAL_COLUMNS},
            "targeted": row["competitor_targeted"],
        },
        "box": row["decided_box"],
        "updated_at": row["updated_at"],
    }


@router.get(
    "/customers",
    response={200: CustomerPageOut, 304: None, **READ_ERRORS},
    url_name="customer_list",
    tags=["customers"],
    summary="Customers with tier, metrics, signals and stage",
)
def customer_list(request, filters: Query[CustomerQuery]):
    """Ordered by id. `changed_since` (ISO 8601) keeps the customers any field of whose
    answer changed at or after that time: what a CRM needs to sync again."""
    require_perm(request, "accounts.view_customer")
    customers = selectors.customers_filtered(
        segment=filters.segment,
        owner=filters.owner,
        tier=_choice(filters.tier, Tier.values, "tier"),
        stage=_choice(filters.stage, Stage.values, "stage"),
        box=_choice(filters.box, BOXES, "box"),
        changed_since=filters.changed_since,
    )
    page = keyset_page(
        selectors.customer_rows(customers), cursor=filters.cursor, limit=filters.limit, key="id"
    )
    data = {
        "items": [_customer_out(row) for row in page.items],
        "next_cursor": page.next_cursor,
        "next": next_url(request, page.next_cursor),
    }
    return etag_response(request, CustomerPageOut, data)


def _customer_or_404(code: str) -> Customer:
    try:
        return selectors.customer_by_code(code=code)
    except Customer.DoesNotExist as exc:
        raise Http404 from exc


@router.get(
    "/customers/{code}",
    response={200: CustomerOut, 304: None, **READ_ERRORS},
    url_name="customer_detail",
    tags=["customers"],
    summary="One customer, by its code",
)
def customer_detail(request, code: str):
    require_perm(request, "accounts.view_customer")
    try:
        row = selectors.customer_row_by_code(code=code)
    except Customer.DoesNotExist as exc:
        raise Http404 from exc
    return etag_response(request, CustomerOut, _customer_out(row))


@router.get(
    "/customers/{code}/tiers",
    response={200: TierPageOut, 304: None, **READ_ERRORS},
    url_name="customer_tiers",
    tags=["customers"],
    summary="A customer's tier history, newest first",
)
def customer_tiers(request, code: str, paging: Query[PageQuery]):
    require_perm(request, "accounts.view_tiersnapshot")
    customer = _customer_or_404(code)
    page = keyset_page(
        selectors.customer_tiers(customer=customer),
        cursor=paging.cursor,
        limit=paging.limit,
        key="run_id",
        descending=True,
    )
    data = {
        "items": [
            {
                "run": snapshot.run_id,
                "computed_at": snapshot.run.finished_at,
                "tier": snapshot.tier,
                "value": snapshot.value,
            }
            for snapshot in page.items
        ],
        "next_cursor": page.next_cursor,
        "next": next_url(request, page.next_cursor),
    }
    return etag_response(request, TierPageOut, data)


def _factor_order(factor) -> tuple:
    """Attractiveness factors first, then strength, each in the round's order."""
    return (factor.axis != Axis.ATTRACTIVENESS, factor.position, factor.pk)


def _round_out(scoring_round) -> dict:
    return {
        "id": scoring_round.pk,
        "name": scoring_round.name,
        "date": scoring_round.date,
        "stage": scoring_round.status,
        "attractiveness_cutoff": scoring_round.attractiveness_cutoff,
        "strength_cutoff": scoring_round.strength_cutoff,
        "ratings_revealed": scoring_round.ratings_revealed,
        "factors": [
            {
                "id": factor.pk,
                "axis": factor.axis,
                "name": factor.name,
                "weight": factor.weight,
                "consideration": factor.consideration,
                "derived_from": factor.metric or None,
            }
            for factor in sorted(scoring_round.factors.all(), key=_factor_order)
        ],
    }


class RoundQuery(PageQuery):
    stage: str = _choice_field(
        ScoringRound.Status.values, "draft, scoring, meeting, decided or archived."
    )


@router.get(
    "/rounds",
    response={200: RoundPageOut, 304: None, **READ_ERRORS},
    url_name="round_list",
    tags=["rounds"],
    summary="Selection rounds with their stage, factors, weights and cut-offs",
)
def round_list(request, filters: Query[RoundQuery]):
    require_perm(request, "scoring.view_scoringround")
    rounds = selectors.rounds_all(stage=_choice(filters.stage, ScoringRound.Status.values, "stage"))
    page = keyset_page(rounds, cursor=filters.cursor, limit=filters.limit)
    data = {
        "items": [_round_out(scoring_round) for scoring_round in page.items],
        "next_cursor": page.next_cursor,
        "next": next_url(request, page.next_cursor),
    }
    return etag_response(request, RoundPageOut, data)


@router.get(
    "/rounds/{pk}",
    response={200: RoundOut, 304: None, **READ_ERRORS},
    url_name="round_detail",
    tags=["rounds"],
    summary="One selection round",
)
def round_detail(request, pk: int):
    require_perm(request, "scoring.view_scoringround")
    return etag_response(request, RoundOut, _round_out(round_or_404(pk)))


@router.get(
    "/rounds/{pk}/matrix",
    response={200: MatrixPageOut, 304: None, **READ_ERRORS},
    url_name="round_matrix",
    tags=["rounds"],
    summary="A round's matrix: each account's scores, box and the ratings you may see",
)
def round_matrix(request, pk: int, filters: Query[MatrixQuery]):
    """Blind scoring applies as on the pages: until the meeting, the scores, boxes and
    cells are computed from the caller's own ratings only, and `box` keeps the accounts
    the caller's own matrix places in that box. Ordered by customer id."""
    require_perm(request, "scoring.view_scoringround")
    scoring_round = round_or_404(pk)
    after = cursor_decode(filters.cursor) if filters.cursor else None
    limit = page_limit(filters.limit)
    rows, more = selectors.matrix_page(
        scoring_round=scoring_round,
        user=request.user,
        after=after,
        limit=limit,
        box=_choice(filters.box, BOXES, "box"),
        segment=filters.segment,
        owner=filters.owner,
        tier=_choice(filters.tier, Tier.values, "tier"),
    )
    next_cursor = cursor_encode(rows[-1]["customer_id"]) if more else None
    data = {
        "round": scoring_round.pk,
        "stage": scoring_round.status,
        "items": rows,
        "next_cursor": next_cursor,
        "next": next_url(request, next_cursor),
    }
    return etag_response(request, MatrixPageOut, data)


class DecisionQuery(PageQuery):
    round: int | None = Field(None, description="A round's id.")
    customer: str = Field("", description="A customer's code.")
    choice: str = _choice_field(
        Decision.Choice.values, "key, key_development, maintenance, opportunistic or deselected."
    )
    changed_since: IsoDateTime | None = Field(
        None, description="ISO 8601: only decisions recorded or changed at or after this time."
    )


@router.get(
    "/decisions",
    response={200: DecisionPageOut, 304: None, **READ_ERRORS},
    url_name="decision_list",
    tags=["rounds"],
    summary="The selection team's decisions, of rounds whose ratings are revealed",
)
def decision_list(request, filters: Query[DecisionQuery]):
    require_perm(request, "scoring.view_decision")
    decisions = selectors.decisions_visible(
        round_id=filters.round,
        customer_code=filters.customer,
        choice=_choice(filters.choice, Decision.Choice.values, "choice"),
        changed_since=filters.changed_since,
    )
    page = keyset_page(decisions, cursor=filters.cursor, limit=filters.limit)
    data = {
        "items": [
            {
                "id": decision.pk,
                "round": decision.round_id,
                "customer": decision.customer.code,
                "choice": decision.choice,
                "coverage": decision.coverage,
                "rationale": decision.rationale,
                "box_at_decision": decision.box_at_decision,
                "decided_by": decision.decided_by.username if decision.decided_by else None,
                "decided_at": decision.decided_at,
            }
            for decision in page.items
        ],
        "next_cursor": page.next_cursor,
        "next": next_url(request, page.next_cursor),
    }
    return etag_response(request, DecisionPageOut, data)
