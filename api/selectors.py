"""Reads of the API: customers (with what changed since a time), rounds, a round's matrix
as the caller may see it, decisions and tier history. Built on the apps' own selectors."""

import datetime as dt

import numpy as np
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import NullIf

from accounts.models import Customer, LedgerImport, TierSnapshot
from accounts.selectors import customer_list
from scoring.models import BLIND_STATUSES, LOCKED_STATUSES, Axis, Decision, ScoringRound
from scoring.selectors import (
    RoundMatrix,
    optional_float,
    round_latest_decided,
    round_matrix_seen_by,
)


def customers_filtered(
    *,
    segment: str = "",
    owner: str = "",
    tier: str = "",
    stage: str = "",
    box: str = "",
    changed_since: dt.datetime | None = None,
) -> QuerySet:
    """Customers with segment, owner and metrics, filtered as `accounts.selectors.customer_list`
    does, each with `decided_box`: the box of its decision in the latest decided round
    (what the accounts are managed by), which `box` filters on; `changed_since` keeps those
    changed at or after that time (see `_changed_since`)."""
    owner_user = None
    if owner:
        owner_user = get_user_model().objects.filter(username=owner).first()
        if owner_user is None:
            return _with_decided_box(Customer.objects.none())
    customers = customer_list(owner=owner_user, tier=tier, stage=stage)
    if segment:
        customers = customers.filter(segment__name=segment)
    customers = _with_decided_box(customers)
    if box:
        customers = customers.filter(decided_box=box)
    if changed_since is not None:
        customers = customers.filter(_changed_since(changed_since))
    return customers


def _changed_since(since: dt.datetime) -> Q:
    """What a CRM sync needs again, each source by its own latest change time: the
    customer's record (code, name, segment, owner, the competitor flag; a renamed or
    deleted segment or owner touches it too, see `accounts.receivers`), its metrics row
    (tier, metrics, signals, stage: `changed_at` moves only when a run computed other
    values), or a decision about it recorded since in a round whose ratings are revealed.
    One WHERE clause: the page stays one query, and a cursor page never shifts."""
    decided = Exists(
        Decision.objects.filter(customer=OuterRef("pk"), decided_at__gte=since).exclude(
            round__status__in=BLIND_STATUSES
        )
    )
    return (
        Q(updated_at__gte=since)
        | Q(metrics__changed_at__gte=since)
        | decided
        | Q(Exists(_decided_rounds_moved(since)))
    )


def _decided_rounds_moved(since: dt.datetime) -> QuerySet:
    """Audit entries of a round entering or leaving the decided stages since: the latest
    decided round, and so every customer's `box`, may have changed with it."""
    locked = [str(status) for status in LOCKED_STATUSES]
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ScoringRound),
        timestamp__gte=since,
    ).filter(Q(changes__status__0__in=locked) | Q(changes__status__1__in=locked))


def _with_decided_box(customers: QuerySet) -> QuerySet:
    latest = round_latest_decided()
    if latest is None:
        return customers.annotate(decided_box=Value(None, output_field=CharField()))
    box = Decision.objects.filter(round=latest, customer=OuterRef("pk")).values("box_at_decision")
    return customers.annotate(decided_box=NullIf(Subquery(box[:1]), Value("")))


def customer_by_code(*, code: str) -> Customer:
    customers = Customer.objects.select_related("segment", "owner", "metrics")
    return _with_decided_box(customers).get(code=code)


# The customer answer's metrics (`api.schemas.CustomerMetricsOut`) and signals, as columns of
# its metrics row.
CUSTOMER_METRICS = (
    "revenue", "margin", "value", "share", "cumulative_share", "rank", "invoices",
    "months_active", "first_purchase", "last_purchase", "growth", "avg_monthly_revenue",
    "avg_days_late",
)  # fmt: skip
CUSTOMER_SIGNALS = ("large_buyer", "pareto_top", "loyal", "late_payer")
_CUSTOMER_COLUMNS = (
    "id", "code", "name", "segment__name", "owner__username", "competitor_targeted",
    "decided_box", "updated_at", "metrics__tier", "metrics__stage",
    *(f"metrics__{name}" for name in CUSTOMER_METRICS + CUSTOMER_SIGNALS),
)  # fmt: skip


def customer_rows(customers: QuerySet) -> QuerySet:
    """`customers_filtered` (or `customer_row_by_code`) as flat dicts of the columns the
    API's customer answer shows, from one query: a full sync reads every customer, and
    building model instances (a user and a segment each) cost more than the query."""
    return customers.values(*_CUSTOMER_COLUMNS)


def customer_row_by_code(*, code: str) -> dict:
    """One customer as `customer_rows` gives it; Customer.DoesNotExist for an unknown code."""
    return customer_rows(_with_decided_box(Customer.objects.all())).get(code=code)


def customer_tiers(*, customer: Customer) -> QuerySet:
    """The customer's tier after each metrics run, newest run first (key: the run's id)."""
    return TierSnapshot.objects.filter(customer=customer).select_related("run")


def rounds_all(*, stage: str = "") -> QuerySet:
    rounds = ScoringRound.objects.prefetch_related("factors")
    return rounds.filter(status=stage) if stage else rounds


def decisions_visible(
    *,
    round_id: int | None = None,
    customer_code: str = "",
    choice: str = "",
    changed_since: dt.datetime | None = None,
) -> QuerySet:
    """Decisions of rounds whose ratings are revealed: a decision states a box, so none of a
    round still (or again) blind is shown."""
    decisions = Decision.objects.select_related("round", "customer", "decided_by").exclude(
        round__status__in=BLIND_STATUSES
    )
    if round_id is not None:
        decisions = decisions.filter(round_id=round_id)
    if customer_code:
        decisions = decisions.filter(customer__code=customer_code)
    if choice:
        decisions = decisions.filter(choice=choice)
    if changed_since is not None:
        decisions = decisions.filter(decided_at__gte=changed_since)
    return decisions


def _cells(factors, values) -> list[dict]:
    return [
        {"factor": factor.pk, "name": factor.name, "value": optional_float(value)}
        for factor, value in zip(factors, values, strict=True)
    ]


def _matrix_row(matrix: RoundMatrix, row: int) -> dict:
    position = matrix.position(row)
    customer = position.customer
    strength = matrix.strength_ratings[row]
    competitors = [
        {"competitor": competitor.name, "ratings": _cells(matrix.strength_factors, values)}
        for competitor, values in zip(matrix.competitors, strength[1:], strict=True)
        if not np.isnan(values).all()
    ]
    return {
        "customer": customer.code,
        "customer_id": customer.pk,
        "name": customer.name,
        "attractiveness": position.attractiveness,
        "relative_strength": position.relative_strength,
        "our_strength": position.our_strength,
        "best_competitor_strength": position.best_competitor_strength,
        "best_competitor": position.best_competitor or None,
        "no_competitor_view": position.no_competitor_view,
        "box": position.box if position.complete else None,
        "box_label": position.box_label or None,
        "missing": position.missing,
        "ratings": {
            Axis.ATTRACTIVENESS.value: _cells(
                matrix.attractiveness_factors, matrix.attractiveness_ratings[row]
            ),
            Axis.STRENGTH.value: _cells(matrix.strength_factors, strength[0]),
            "competitors": competitors,
        },
    }


# With a box filter, how many customers at least are placed at a time to fill a page.
MATRIX_BOX_CHUNK_MIN = 200


def matrix_page(
    *,
    scoring_round: ScoringRound,
    user,
    after: int | None,
    limit: int,
    box: str = "",
    **filters,
) -> tuple[list[dict], bool]:
    """A page of the matrix rows `user` may see, in customer id order after `after`, of the
    customers `customers_filtered(**filters)` keeps; with `box`, only those the caller's
    matrix places in it (their own ratings while blind: the box filter reveals nothing the
    rows would not). A row's placement depends on its own ratings alone, so the customers
    are read in chunks of ids and placed chunk by chunk until the page is full."""
    ids = customers_filtered(**filters).order_by("pk").values_list("pk", flat=True)
    chunk = limit + 1 if not box else max(4 * (limit + 1), MATRIX_BOX_CHUNK_MIN)
    rows: list[dict] = []
    while len(rows) <= limit:
        chunk_ids = list((ids if after is None else ids.filter(pk__gt=after))[:chunk])
        if not chunk_ids:
            break
        matrix = round_matrix_seen_by(
            scoring_round=scoring_round, user=user, customer_ids=chunk_ids, box=box or None
        )
        placed = [_matrix_row(matrix, row) for row in range(len(matrix.customers))]
        rows += sorted(placed, key=lambda row: row["customer_id"])
        if len(chunk_ids) < chunk:
            break
        after = chunk_ids[-1]
    return rows[:limit], len(rows) > limit


def ledger_import_earlier(*, ledger_import: LedgerImport) -> LedgerImport | None:
    """An earlier import of the very same file that stored its lines (a re-sent file)."""
    return (
        LedgerImport.objects.filter(
            checksum=ledger_import.checksum, status=LedgerImport.Status.DONE
        )
        .exclude(pk=ledger_import.pk)
        .filter(created_at__lte=ledger_import.created_at)
        .order_by("-created_at")
        .first()
    )
