"""Writes of derived factors: ratings computed from the ledger's metrics."""

from decimal import Decimal

import numpy as np
from django.db import transaction

from accounts.models import Customer, CustomerMetrics, MetricsRun

from .. import engine
from ..metric_providers import metric_provider
from ..models import (
    LOCKED_STATUSES,
    STRENGTH_METRICS,
    Derivation,
    DerivedMetric,
    DerivedRating,
    Factor,
    ScoringRound,
)


def _metric_values(*, metric: str, customer_ids: list[int]) -> np.ndarray:
    """Each customer's value of a metric (NaN where there is none): from the provider an app
    registered for it (`scoring.metric_providers`), else from the ledger's metrics."""
    provider = metric_provider(metric)
    if provider is not None:
        return np.asarray(provider(customer_ids=customer_ids), dtype=float)
    if metric in STRENGTH_METRICS:  # its app is not installed: nothing to rate it from
        return np.full(len(customer_ids), np.nan)
    period_end = (
        MetricsRun.objects.filter(status=MetricsRun.Status.SUCCEEDED)
        .order_by("-started_at")
        .values_list("period_end", flat=True)
        .first()
    )
    rows = CustomerMetrics.objects.filter(customer_id__in=customer_ids).values(
        "customer_id", "revenue", "growth", "months_active", "first_purchase", "margin"
    )
    by_customer = {row["customer_id"]: row for row in rows}

    def value(row) -> float:
        if row is None:
            return np.nan
        if metric == DerivedMetric.TENURE:
            if row["first_purchase"] is None or period_end is None:
                return np.nan
            return (period_end - row["first_purchase"]).days / 365.25
        raw = row[metric]
        return np.nan if raw is None else float(raw)

    return np.array([value(by_customer.get(pk)) for pk in customer_ids], dtype=float)


@transaction.atomic
def derived_ratings_refresh(*, rounds=None) -> int:
    """Rate every derived factor of the open rounds from the current metrics.

    Runs after each metrics recompute and whenever a factor set changes; decided rounds
    keep the ratings they were decided on.
    """
    if rounds is None:
        rounds = ScoringRound.objects.exclude(status__in=LOCKED_STATUSES)
    factors = list(Factor.objects.filter(round__in=rounds).exclude(metric=""))
    customer_ids = list(Customer.objects.order_by("pk").values_list("pk", flat=True))
    created = 0
    for factor in factors:
        values = _metric_values(metric=factor.metric, customer_ids=customer_ids)
        if factor.derivation == Derivation.BANDS:
            ratings = engine.banded_ratings(values, [tuple(band) for band in factor.bands])
        else:
            ratings = engine.percentile_ratings(values)
        DerivedRating.objects.filter(factor=factor).delete()
        DerivedRating.objects.bulk_create(
            DerivedRating(
                round_id=factor.round_id,
                customer_id=customer_id,
                factor=factor,
                value=Decimal(str(round(float(rating), 2))),
            )
            for customer_id, rating in zip(customer_ids, ratings, strict=True)
            if not np.isnan(rating)
        )
        created += int((~np.isnan(ratings)).sum())
    return created
