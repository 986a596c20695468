"""Reads of selection rounds: factors, ratings, and the matrix computed by the engine."""

from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from functools import cached_property

import numpy as np
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from accounts.models import CompanySettings, Competitor, Customer, LedgerLine
from kamapp.audit import AuditRow, audit_rows

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


def round_history(
    *, scoring_round: ScoringRound, customer: Customer | None = None, limit: int = 30
) -> list[AuditRow]:
    """The latest recorded changes to a round: its stage, factors and ratings.

    With a customer: only that account's ratings in the round and the account's own changes.
    """
    entries = LogEntry.objects.filter(additional_data__round=scoring_round.pk)
    if customer is not None:
        entries = LogEntry.objects.filter(
            Q(additional_data__round=scoring_round.pk, additional_data__customer=customer.pk)
            | Q(content_type=ContentType.objects.get_for_model(Customer), object_id=customer.pk)
        )
    return audit_rows(entries=entries.order_by("-timestamp", "-pk")[:limit])


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


@dataclass(frozen=True)
class AccountRef:
    """The few customer fields a matrix row shows, loaded without model instances."""

    pk: int
    code: str
    name: str
    segment: str
    owner_username: str
    owner: str

    def __str__(self):
        return self.name


@dataclass
class AccountPosition:
    """One account's place on the matrix, ready for a template or an export."""

    customer: AccountRef
    attractiveness: float | None
    our_strength: float | None
    best_competitor_strength: float | None
    best_competitor: str
    relative_strength: float | None
    no_competitor_view: bool
    box: str
    box_label: str
    revenue: float
    rated_nothing: bool
    missing: list[str] = field(default_factory=list)
    attractiveness_ratings: list[float | None] = field(default_factory=list)
    attractiveness_contributions: list[float | None] = field(default_factory=list)
    strength_contributions: list[float | None] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.box != engine.NOT_PLACED


def optional_float(value: float) -> float | None:
    """A float from the engine, or None where it is NaN (not rated, not placed)."""
    return None if np.isnan(value) else float(value)


@dataclass
class RoundMatrix:
    """A round's accounts placed by the engine; rows follow `customers` (sorted by name)."""

    scoring_round: ScoringRound
    attractiveness_factors: list[Factor]
    strength_factors: list[Factor]
    competitors: list[Competitor]
    customers: list[AccountRef]
    revenue: np.ndarray  # (N,)
    attractiveness_ratings: np.ndarray  # (N, Fa)
    strength_ratings: np.ndarray  # (N, 1 + C, Fs): us first, then each competitor
    result: engine.MatrixResult
    labels: dict[str, str]

    @property
    def rated_nothing(self) -> np.ndarray:
        return np.isnan(self.attractiveness_ratings).all(axis=1) & np.isnan(
            self.strength_ratings
        ).all(axis=(1, 2))

    def position(self, row: int) -> AccountPosition:
        result = self.result
        best_index = int(result.best_competitor_index[row])
        box = result.box[row]
        return AccountPosition(
            customer=self.customers[row],
            attractiveness=optional_float(result.attractiveness[row]),
            our_strength=optional_float(result.our_strength[row]),
            best_competitor_strength=optional_float(result.best_competitor_strength[row]),
            best_competitor=self.competitors[best_index].name if best_index >= 0 else "",
            relative_strength=optional_float(result.relative_strength[row]),
            no_competitor_view=bool(result.no_competitor_view[row]),
            box=box,
            box_label=self.labels.get(box, ""),
            revenue=float(self.revenue[row]),
            rated_nothing=bool(self.rated_nothing[row]),
            missing=self._missing_labels(row),
            attractiveness_ratings=[optional_float(v) for v in self.attractiveness_ratings[row]],
            attractiveness_contributions=[
                optional_float(v) for v in result.attractiveness_contributions[row]
            ],
            strength_contributions=[optional_float(v) for v in result.strength_contributions[row]],
        )

    @cached_property
    def positions(self) -> list[AccountPosition]:
        return [self.position(row) for row in range(len(self.customers))]

    def by_customer(self) -> dict[int, AccountPosition]:
        return {position.customer.pk: position for position in self.positions}

    def placed_rows(self) -> np.ndarray:
        """Rows on the matrix, most attractive first."""
        placed = np.flatnonzero(self.result.complete)
        return placed[np.argsort(-self.result.attractiveness[placed], kind="stable")]

    def _missing_labels(self, row: int) -> list[str]:
        result = self.result
        missing = [
            factor.name
            for factor, is_missing in zip(
                self.attractiveness_factors, result.missing_attractiveness[row], strict=True
            )
            if is_missing
        ]
        missing += [
            _("%(factor)s (us)") % {"factor": factor.name}
            for factor, is_missing in zip(
                self.strength_factors, result.missing_our_strength[row], strict=True
            )
            if is_missing
        ]
        for competitor, factor_mask in zip(
            self.competitors, result.missing_competitor_strength[row], strict=True
        ):
            missing += [
                _("%(factor)s (%(competitor)s)")
                % {"factor": factor.name, "competitor": competitor.name}
                for factor, is_missing in zip(self.strength_factors, factor_mask, strict=True)
                if is_missing
            ]
        return missing


def _ids(objects) -> np.ndarray:
    return np.array([obj.pk for obj in objects], dtype=float)


def _account_refs(scope: QuerySet) -> list[AccountRef]:
    rows = scope.order_by("name", "pk").values_list(
        "pk",
        "code",
        "name",
        "segment__name",
        "owner__username",
        "owner__first_name",
        "owner__last_name",
    )
    return [
        AccountRef(
            pk=pk,
            code=code,
            name=name,
            segment=segment or "",
            owner_username=username or "",
            owner=f"{first or ''} {last or ''}".strip() or username or "",
        )
        for pk, code, name, segment, username, first, last in rows
    ]


def _index_of(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Position of each value in keys, or -1 where it is not there."""
    if len(keys) == 0:
        return np.full(len(values), -1)
    order = np.argsort(keys)
    sorted_keys = keys[order]
    found = np.clip(np.searchsorted(sorted_keys, values), 0, len(keys) - 1)
    return np.where(sorted_keys[found] == values, order[found], -1)


def _rating_rows(*, scoring_round: ScoringRound, customers: QuerySet | None, rater) -> np.ndarray:
    """(customer, factor, competitor or NaN, value) per rating as one float array.

    Read through the cursor, not model instances or converters: a round of 5,000 accounts
    holds well over 100,000 ratings and this is the matrix page's hot path.
    """
    ratings = Rating.objects.filter(round=scoring_round)
    if rater is not None:
        ratings = ratings.filter(rater=rater)
    if customers is not None:
        ratings = ratings.filter(customer_id__in=customers.values("pk"))
    query = ratings.values_list(
        "customer_id", "factor_id", "competitor_id", Cast("value", FloatField())
    ).query
    sql, params = query.sql_with_params()
    with connections[ratings.db].cursor() as cursor:
        cursor.execute(sql, params)
        return np.array(cursor.fetchall(), dtype=float).reshape(-1, 4)


def _mean_cells(flat_index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Mean of the values falling in each cell; NaN where a cell has none."""
    sums = np.bincount(flat_index, weights=values, minlength=size)
    counts = np.bincount(flat_index, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


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

    scope = Customer.objects.all()
    if customer_ids is not None:
        scope = scope.filter(pk__in=customer_ids)
    if segment_id:
        scope = scope.filter(segment_id=segment_id)
    if owner_id:
        scope = scope.filter(owner_id=owner_id)
    filtered = customer_ids is not None or bool(segment_id) or bool(owner_id)
    customers = _account_refs(scope)
    count, subjects = len(customers), 1 + len(competitors)
    fa, fs = len(attractiveness_factors), len(strength_factors)

    ratings = _rating_rows(
        scoring_round=scoring_round, customers=scope if filtered else None, rater=rater
    )
    row = _index_of(_ids(customers), ratings[:, 0])
    a_column = _index_of(_ids(attractiveness_factors), ratings[:, 1])
    s_column = _index_of(_ids(strength_factors), ratings[:, 1])
    is_us = np.isnan(ratings[:, 2])
    competitor_index = _index_of(_ids(competitors), np.nan_to_num(ratings[:, 2], nan=-1))
    subject = np.where(is_us, 0, np.where(competitor_index >= 0, competitor_index + 1, -1))
    on_attractiveness = (row >= 0) & (a_column >= 0) & is_us
    on_strength = (row >= 0) & (s_column >= 0) & (subject >= 0)
    attractiveness_ratings = _mean_cells(
        row[on_attractiveness] * fa + a_column[on_attractiveness],
        ratings[on_attractiveness, 3],
        count * fa,
    ).reshape(count, fa)
    strength_ratings = _mean_cells(
        (row[on_strength] * subjects + subject[on_strength]) * fs + s_column[on_strength],
        ratings[on_strength, 3],
        count * subjects * fs,
    ).reshape(count, subjects, fs)

    result = engine.matrix_compute(
        attractiveness_ratings=attractiveness_ratings,
        attractiveness_weights=np.array([float(f.weight) for f in attractiveness_factors]),
        our_strength_ratings=strength_ratings[:, 0, :],
        competitor_strength_ratings=strength_ratings[:, 1:, :],
        strength_weights=np.array([float(f.weight) for f in strength_factors]),
        attractiveness_cutoff=float(scoring_round.attractiveness_cutoff),
        strength_cutoff=float(scoring_round.strength_cutoff),
    )
    revenue_of = customer_revenue(customer_ids=[c.pk for c in customers] if filtered else None)
    revenue = np.array([float(revenue_of.get(c.pk, 0)) for c in customers])
    matrix = RoundMatrix(
        scoring_round=scoring_round,
        attractiveness_factors=attractiveness_factors,
        strength_factors=strength_factors,
        competitors=competitors,
        customers=customers,
        revenue=revenue,
        attractiveness_ratings=attractiveness_ratings,
        strength_ratings=strength_ratings,
        result=result,
        labels=box_labels(),
    )
    if box:
        matrix = matrix_subset(matrix=matrix, rows=np.flatnonzero(result.box == box))
    return matrix


def matrix_subset(*, matrix: RoundMatrix, rows: np.ndarray) -> RoundMatrix:
    """The same matrix restricted to some rows (e.g. one box)."""
    result = engine.MatrixResult(
        **{f.name: getattr(matrix.result, f.name)[rows] for f in fields(engine.MatrixResult)}
    )
    return replace(
        matrix,
        customers=[matrix.customers[row] for row in rows],
        revenue=matrix.revenue[rows],
        attractiveness_ratings=matrix.attractiveness_ratings[rows],
        strength_ratings=matrix.strength_ratings[rows],
        result=result,
    )
