"""Reads of selection rounds: factors, ratings, and the matrix computed by the engine."""

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db.models import Avg, FloatField, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from accounts.models import CompanySettings, Competitor, Customer, LedgerLine

from . import engine
from .models import Axis, Factor, Rating, ScoringRound


def round_count() -> int:
    return ScoringRound.objects.count()


def round_list() -> QuerySet:
    return ScoringRound.objects.all()


def round_get(*, pk: int) -> ScoringRound:
    return ScoringRound.objects.get(pk=pk)


def round_previous(*, scoring_round: ScoringRound | None = None) -> ScoringRound | None:
    """The most recent round before the given one (or the latest round of all)."""
    rounds = ScoringRound.objects.order_by("-date", "-id")
    if scoring_round is not None:
        rounds = rounds.exclude(pk=scoring_round.pk).filter(date__lte=scoring_round.date)
    return rounds.first()


def round_factors(*, scoring_round: ScoringRound) -> dict[str, list[Factor]]:
    factors = list(scoring_round.factors.order_by("position", "id"))
    return {
        axis: [factor for factor in factors if factor.axis == axis]
        for axis in (Axis.ATTRACTIVENESS, Axis.STRENGTH)
    }


def box_labels() -> dict[str, str]:
    """The names of the four boxes as the company calls them (a setting)."""
    company = CompanySettings.load()
    return {
        engine.KEY: company.box_key_name,
        engine.KEY_DEVELOPMENT: company.box_key_development_name,
        engine.MAINTENANCE: company.box_maintenance_name,
        engine.OPPORTUNISTIC: company.box_opportunistic_name,
    }


def customer_revenue(*, customer_ids: list[int] | None = None) -> dict[int, Decimal]:
    """Revenue per customer over the company's period, up to the last ledger date."""
    company = CompanySettings.load()
    last = LedgerLine.objects.order_by("-invoice_date").values_list("invoice_date", flat=True)
    last_date = last.first()
    if last_date is None:
        return {}
    month_index = last_date.year * 12 + last_date.month - company.period_months
    start = last_date.replace(year=month_index // 12, month=month_index % 12 + 1, day=1)
    lines = LedgerLine.objects.filter(invoice_date__gt=start, invoice_date__lte=last_date)
    if customer_ids is not None:
        lines = lines.filter(customer_id__in=customer_ids)
    totals = lines.values("customer_id").annotate(total=Sum("amount"))
    return {row["customer_id"]: row["total"] for row in totals}


@dataclass
class AccountPosition:
    """One account's place on the matrix, ready for a template or an export."""

    customer: Customer
    attractiveness: float | None
    our_strength: float | None
    best_competitor_strength: float | None
    best_competitor: str
    relative_strength: float | None
    no_competitor_view: bool
    box: str
    box_label: str
    revenue: Decimal
    missing: list[str] = field(default_factory=list)
    attractiveness_ratings: list[float | None] = field(default_factory=list)
    attractiveness_contributions: list[float | None] = field(default_factory=list)
    strength_contributions: list[float | None] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.box != engine.NOT_PLACED

    @property
    def rated_nothing(self) -> bool:
        return all(value is None for value in self.attractiveness_ratings) and (
            self.our_strength is None and not self.complete
        )


@dataclass
class RoundMatrix:
    scoring_round: ScoringRound
    attractiveness_factors: list[Factor]
    strength_factors: list[Factor]
    competitors: list[Competitor]
    positions: list[AccountPosition]
    result: engine.MatrixResult
    strength_ratings: np.ndarray  # (N, 1 + C, Fs): us first, then each competitor

    def by_customer(self) -> dict[int, AccountPosition]:
        return {position.customer.pk: position for position in self.positions}


def optional_float(value: float) -> float | None:
    """A float from the engine, or None where it is NaN (not rated, not placed)."""
    return None if np.isnan(value) else float(value)


def _rating_cells(
    *, scoring_round: ScoringRound, customer_ids: list[int], rater=None
) -> list[tuple[int, int, int | None, float]]:
    """(customer, factor, competitor, value) per cell: the rater's own, or all raters' mean."""
    ratings = Rating.objects.filter(round=scoring_round, customer_id__in=customer_ids)
    if rater is not None:
        return list(
            ratings.filter(rater=rater).values_list(
                "customer_id", "factor_id", "competitor_id", Cast("value", FloatField())
            )
        )
    return list(
        ratings.values_list("customer_id", "factor_id", "competitor_id").annotate(
            mean=Avg(Cast("value", FloatField()))
        )
    )


def _customers_in_scope(*, customer_ids=None, segment_id=None, owner_id=None) -> list[Customer]:
    customers = Customer.objects.select_related("segment", "owner").order_by("name", "pk")
    if customer_ids is not None:
        customers = customers.filter(pk__in=customer_ids)
    if segment_id:
        customers = customers.filter(segment_id=segment_id)
    if owner_id:
        customers = customers.filter(owner_id=owner_id)
    return list(customers)


def round_matrix(
    *,
    scoring_round: ScoringRound,
    rater=None,
    customer_ids: list[int] | None = None,
    segment_id: int | None = None,
    owner_id: int | None = None,
    box: str | None = None,
) -> RoundMatrix:
    """Place the round's accounts on the matrix in a constant number of queries.

    With a rater, only that person's ratings count (their own view while scoring);
    otherwise each cell is the mean of everyone's ratings.
    """
    factors = round_factors(scoring_round=scoring_round)
    attractiveness_factors, strength_factors = factors[Axis.ATTRACTIVENESS], factors[Axis.STRENGTH]
    competitors = list(Competitor.objects.order_by("name"))
    customers = _customers_in_scope(
        customer_ids=customer_ids, segment_id=segment_id, owner_id=owner_id
    )
    ids = [customer.pk for customer in customers]
    row_of = {pk: row for row, pk in enumerate(ids)}
    column_of = {factor.pk: col for col, factor in enumerate(attractiveness_factors)}
    column_of.update({factor.pk: col for col, factor in enumerate(strength_factors)})
    subject_of = {competitor.pk: index + 1 for index, competitor in enumerate(competitors)}
    axis_of = {factor.pk: factor.axis for factor in attractiveness_factors + strength_factors}

    count = len(ids)
    attractiveness_ratings = np.full((count, len(attractiveness_factors)), np.nan)
    strength_ratings = np.full((count, 1 + len(competitors), len(strength_factors)), np.nan)
    for customer_id, factor_id, competitor_id, value in _rating_cells(
        scoring_round=scoring_round, customer_ids=ids, rater=rater
    ):
        row = row_of[customer_id]
        if axis_of.get(factor_id) == Axis.ATTRACTIVENESS and competitor_id is None:
            attractiveness_ratings[row, column_of[factor_id]] = value
        elif axis_of.get(factor_id) == Axis.STRENGTH:
            strength_ratings[row, subject_of.get(competitor_id, 0), column_of[factor_id]] = value

    result = engine.matrix_compute(
        attractiveness_ratings=attractiveness_ratings,
        attractiveness_weights=np.array([float(f.weight) for f in attractiveness_factors]),
        our_strength_ratings=strength_ratings[:, 0, :],
        competitor_strength_ratings=strength_ratings[:, 1:, :],
        strength_weights=np.array([float(f.weight) for f in strength_factors]),
        attractiveness_cutoff=float(scoring_round.attractiveness_cutoff),
        strength_cutoff=float(scoring_round.strength_cutoff),
    )
    revenue = customer_revenue(customer_ids=ids if customer_ids is not None else None)
    labels = box_labels()
    positions = []
    for row, customer in enumerate(customers):
        best_index = int(result.best_competitor_index[row])
        positions.append(
            AccountPosition(
                customer=customer,
                attractiveness=optional_float(result.attractiveness[row]),
                our_strength=optional_float(result.our_strength[row]),
                best_competitor_strength=optional_float(result.best_competitor_strength[row]),
                best_competitor=competitors[best_index].name if best_index >= 0 else "",
                relative_strength=optional_float(result.relative_strength[row]),
                no_competitor_view=bool(result.no_competitor_view[row]),
                box=result.box[row],
                box_label=labels.get(result.box[row], ""),
                revenue=revenue.get(customer.pk, Decimal(0)),
                missing=_missing_labels(
                    result, row, attractiveness_factors, strength_factors, competitors
                ),
                attractiveness_ratings=[optional_float(v) for v in attractiveness_ratings[row]],
                attractiveness_contributions=[
                    optional_float(v) for v in result.attractiveness_contributions[row]
                ],
                strength_contributions=[
                    optional_float(v) for v in result.strength_contributions[row]
                ],
            )
        )
    if box:
        positions = [position for position in positions if position.box == box]
    return RoundMatrix(
        scoring_round=scoring_round,
        attractiveness_factors=attractiveness_factors,
        strength_factors=strength_factors,
        competitors=competitors,
        positions=positions,
        result=result,
        strength_ratings=strength_ratings,
    )


def _missing_labels(
    result, row, attractiveness_factors, strength_factors, competitors
) -> list[str]:
    missing = [
        factor.name
        for factor, is_missing in zip(
            attractiveness_factors, result.missing_attractiveness[row], strict=True
        )
        if is_missing
    ]
    missing += [
        _("%(factor)s (us)") % {"factor": factor.name}
        for factor, is_missing in zip(
            strength_factors, result.missing_our_strength[row], strict=True
        )
        if is_missing
    ]
    for competitor, factor_mask in zip(
        competitors, result.missing_competitor_strength[row], strict=True
    ):
        missing += [
            _("%(factor)s (%(competitor)s)")
            % {"factor": factor.name, "competitor": competitor.name}
            for factor, is_missing in zip(strength_factors, factor_mask, strict=True)
            if is_missing
        ]
    return missing
