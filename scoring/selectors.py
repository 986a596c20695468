"""Reads of selection rounds: factors, ratings, and the matrix computed by the engine."""

import io
from dataclasses import dataclass, field, fields, replace
from functools import cached_property

import numpy as np
import pandas as pd
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import FloatField, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import CompanySettings, Competitor, Customer
from kamapp.audit import AuditRow, audit_rows

from . import engine
from .models import Axis, Consensus, Decision, DerivedRating, Factor, Rating, ScoringRound


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


# The boxes' default names, marked for translation. A company that never renamed a box
# keeps the English default in the database and sees it in the reader's language; a name
# the company typed is its own data and is shown as typed.
DEFAULT_BOX_NAMES = {
    "box_key_name": gettext_lazy("Key"),
    "box_key_development_name": gettext_lazy("Key development"),
    "box_maintenance_name": gettext_lazy("Maintenance"),
    "box_opportunistic_name": gettext_lazy("Opportunistic"),
}
BOX_FIELDS = {
    engine.KEY: "box_key_name",
    engine.KEY_DEVELOPMENT: "box_key_development_name",
    engine.MAINTENANCE: "box_maintenance_name",
    engine.OPPORTUNISTIC: "box_opportunistic_name",
}


def box_label_display(*, company: CompanySettings, field: str) -> str:
    """A box's name in the reader's language while it is the untouched default."""
    stored = getattr(company, field)
    if stored == CompanySettings._meta.get_field(field).default:
        return str(DEFAULT_BOX_NAMES[field])
    return stored


def box_labels(*, company: CompanySettings | None = None) -> dict[str, str]:
    """The names of the four boxes as the company calls them (a setting)."""
    company = company or CompanySettings.load()
    return {
        box: box_label_display(company=company, field=field) for box, field in BOX_FIELDS.items()
    }


@dataclass(frozen=True)
class AccountRef:
    """The few customer fields a matrix row shows, loaded without model instances."""

    pk: int
    code: str
    name: str
    segment: str
    owner_username: str
    owner: str
    revenue: float = 0.0  # over the metrics period; 0 until metrics are computed
    tier: str = ""  # Pareto tier, "" until tiers exist
    stage: str = ""  # relationship stage from the ledger

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
    currency: str = "IDR"

    @property
    def axes_without_factors(self) -> list[str]:
        """The axes (their names) with no factor in the round: no account is placed then."""
        axes = (
            (Axis.ATTRACTIVENESS, self.attractiveness_factors),
            (Axis.STRENGTH, self.strength_factors),
        )
        return [str(axis.label) for axis, factors in axes if not factors]

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
        Cast("metrics__revenue", FloatField()),
        "metrics__tier",
        "metrics__stage",
    )
    return [
        AccountRef(
            pk=pk,
            code=code,
            name=name,
            segment=segment or "",
            owner_username=username or "",
            owner=f"{first or ''} {last or ''}".strip() or username or "",
            revenue=revenue or 0.0,
            tier=tier or "",
            stage=stage or "",
        )
        for pk, code, name, segment, username, first, last, revenue, tier, stage in rows
    ]


def _index_of(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Position of each value in keys, or -1 where it is not there."""
    if len(keys) == 0:
        return np.full(len(values), -1)
    order = np.argsort(keys)
    sorted_keys = keys[order]
    found = np.clip(np.searchsorted(sorted_keys, values), 0, len(keys) - 1)
    return np.where(sorted_keys[found] == values, order[found], -1)


def _cell_rows(queryset: QuerySet) -> np.ndarray:
    """(customer, factor, competitor or NaN, value) per row of ratings or consensus values.

    Read through the cursor, not model instances or converters: a round of 5,000 accounts
    holds well over 100,000 ratings and this is the matrix page's hot path.
    """
    query = queryset.values_list(
        "customer_id", "factor_id", "competitor_id", Cast("value", FloatField())
    ).query
    sql, params = query.sql_with_params()
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows as CSV, parsed in C by pandas: several times faster than
            # building a Python tuple per row.
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                for chunk in copy:
                    buffer.write(chunk)
            buffer.seek(0)
            if not buffer.getbuffer().nbytes:
                return np.empty((0, 4))
            return pd.read_csv(buffer, header=None, dtype=float).to_numpy().reshape(-1, 4)
        cursor.execute(sql, params)
        return np.array(cursor.fetchall(), dtype=float).reshape(-1, 4)


def _in_scope(queryset: QuerySet, customers: QuerySet | None) -> QuerySet:
    return (
        queryset if customers is None else queryset.filter(customer_id__in=customers.values("pk"))
    )


def _mean_cells(flat_index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Mean of the values falling in each cell, NaN where a cell has none, and the counts."""
    sums = np.bincount(flat_index, weights=values, minlength=size)
    counts = np.bincount(flat_index, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan), counts


def _cell_means(
    rows: np.ndarray, *, customers, attractiveness_factors, strength_factors, competitors
) -> tuple[np.ndarray, np.ndarray]:
    """Place (customer, factor, competitor, value) rows in the rating arrays, averaging
    where several people rated the same cell: (N, Fa) and (N, 1 + C, Fs), NaN if unrated,
    then how many ratings each cell pools, in the same shapes."""
    count, subjects = len(customers), 1 + len(competitors)
    fa, fs = len(attractiveness_factors), len(strength_factors)
    row = _index_of(_ids(customers), rows[:, 0])
    a_column = _index_of(_ids(attractiveness_factors), rows[:, 1])
    s_column = _index_of(_ids(strength_factors), rows[:, 1])
    is_us = np.isnan(rows[:, 2])
    competitor_index = _index_of(_ids(competitors), np.nan_to_num(rows[:, 2], nan=-1))
    subject = np.where(is_us, 0, np.where(competitor_index >= 0, competitor_index + 1, -1))
    on_attractiveness = (row >= 0) & (a_column >= 0) & is_us
    on_strength = (row >= 0) & (s_column >= 0) & (subject >= 0)
    attractiveness, a_counts = _mean_cells(
        row[on_attractiveness] * fa + a_column[on_attractiveness],
        rows[on_attractiveness, 3],
        count * fa,
    )
    strength, s_counts = _mean_cells(
        (row[on_strength] * subjects + subject[on_strength]) * fs + s_column[on_strength],
        rows[on_strength, 3],
        count * subjects * fs,
    )
    a_shape, s_shape = (count, fa), (count, subjects, fs)
    return (
        attractiveness.reshape(a_shape),
        strength.reshape(s_shape),
        a_counts.reshape(a_shape),
        s_counts.reshape(s_shape),
    )


def round_matrix(
    *,
    scoring_round: ScoringRound,
    rater=None,
    customer_ids: list[int] | None = None,
    segment_id: int | None = None,
    owner_id: int | None = None,
    tier: str | None = None,
    box: str | None = None,
) -> RoundMatrix:
    """Place the round's accounts on the matrix in a constant number of queries.

    With a rater, only that person's ratings count (their own view while scoring);
    otherwise each cell is the team's consensus where recorded, else everyone's mean.
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
    if tier:
        scope = scope.filter(metrics__tier=tier)
    filtered = customer_ids is not None or bool(segment_id) or bool(owner_id) or bool(tier)
    customers = _account_refs(scope)

    in_scope = scope if filtered else None
    ratings = Rating.objects.filter(round=scoring_round)
    if rater is not None:
        ratings = ratings.filter(rater=rater)
    cells = {
        "customers": customers,
        "attractiveness_factors": attractiveness_factors,
        "strength_factors": strength_factors,
        "competitors": competitors,
    }
    attractiveness_ratings, strength_ratings, a_counts, s_counts = _cell_means(
        _cell_rows(_in_scope(ratings, in_scope)), **cells
    )
    if rater is None:
        # Where the team agreed a value, it replaces the mean of the individual ratings.
        agreed = _in_scope(Consensus.objects.filter(round=scoring_round), in_scope)
        agreed_attractiveness, agreed_strength, *_counts = _cell_means(_cell_rows(agreed), **cells)
        a_counts = np.where(np.isnan(agreed_attractiveness), a_counts, 1)
        s_counts = np.where(np.isnan(agreed_strength), s_counts, 1)
        attractiveness_ratings = np.where(
            np.isnan(agreed_attractiveness), attractiveness_ratings, agreed_attractiveness
        )
        strength_ratings = np.where(np.isnan(agreed_strength), strength_ratings, agreed_strength)
    derived_columns = [col for col, f in enumerate(attractiveness_factors) if f.metric]
    if derived_columns:
        # Derived factors are rated by the ledger, the same for everyone.
        derived = DerivedRating.objects.filter(round=scoring_round).annotate(
            competitor_id=Value(None, output_field=IntegerField())
        )
        derived_attractiveness, *_others = _cell_means(
            _cell_rows(_in_scope(derived, in_scope)), **cells
        )
        attractiveness_ratings[:, derived_columns] = derived_attractiveness[:, derived_columns]
        a_counts[:, derived_columns] = 1

    result = engine.matrix_compute(
        attractiveness_ratings=attractiveness_ratings,
        attractiveness_weights=np.array([float(f.weight) for f in attractiveness_factors]),
        our_strength_ratings=strength_ratings[:, 0, :],
        competitor_strength_ratings=strength_ratings[:, 1:, :],
        strength_weights=np.array([float(f.weight) for f in strength_factors]),
        attractiveness_cutoff=float(scoring_round.attractiveness_cutoff),
        strength_cutoff=float(scoring_round.strength_cutoff),
        attractiveness_counts=a_counts,
        our_strength_counts=s_counts[:, 0, :],
        competitor_strength_counts=s_counts[:, 1:, :],
    )
    revenue = np.array([c.revenue for c in customers])
    company = CompanySettings.load()
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
        labels=box_labels(company=company),
        currency=company.currency,
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


# --- The selection team's views -------------------------------------------------------
def round_view_rater(*, scoring_round: ScoringRound, user):
    """Whose ratings a user may see: only their own until the meeting reveals everyone's."""
    hidden = scoring_round.status in (ScoringRound.Status.DRAFT, ScoringRound.Status.SCORING)
    return user if hidden else None


def ratings_revealed(*, scoring_round: ScoringRound) -> bool:
    return round_view_rater(scoring_round=scoring_round, user=object()) is None


def _rating_frame(*, scoring_round: ScoringRound, customer_ids: list[int] | None = None):
    """Every rating of the round as a DataFrame, one query."""
    import pandas as pd

    ratings = Rating.objects.filter(round=scoring_round)
    if customer_ids is not None:
        ratings = ratings.filter(customer_id__in=customer_ids)
    rows = list(
        ratings.values_list(
            "customer_id", "factor_id", "competitor_id", "rater_id", Cast("value", FloatField())
        )
    )
    return pd.DataFrame(rows, columns=["customer", "factor", "competitor", "rater", "value"])


@dataclass
class DisagreementCell:
    customer: Customer
    factor: Factor
    competitor: Competitor | None
    count: int
    low: float
    high: float
    std: float
    median: float
    consensus: float | None
    ratings: list[tuple[str, float]]

    @property
    def spread(self) -> float:
        return self.high - self.low

    @property
    def agreed(self) -> bool:
        return self.consensus is not None

    @property
    def suggestion(self) -> float:
        """The consensus where recorded, else the median as the default suggestion."""
        return self.median if self.consensus is None else self.consensus


def round_disagreement(
    *, scoring_round: ScoringRound, customer_ids: list[int] | None = None, limit: int | None = None
) -> list[DisagreementCell]:
    """Account x factor cells rated by two or more people, where they differ most first."""
    from django.contrib.auth import get_user_model

    frame = _rating_frame(scoring_round=scoring_round, customer_ids=customer_ids)
    if frame.empty:
        return []
    frame["competitor"] = frame["competitor"].fillna(0).astype(int)
    keys = ["customer", "factor", "competitor"]
    frame["cell"] = frame.groupby(keys, sort=False).ngroup()
    spread = engine.rating_spread(frame["cell"].to_numpy(), frame["value"].to_numpy())
    order = [
        index
        for index in np.lexsort((-(spread["max"] - spread["min"]), -spread["std"]))
        if spread["count"][index] >= 2
    ]
    if limit is not None:
        order = order[:limit]
    wanted = set(spread["cell"][order].tolist())
    shown = frame[frame["cell"].isin(wanted)]
    names = dict(
        get_user_model()
        .objects.filter(pk__in=shown["rater"].unique().tolist())
        .values_list("pk", "username")
    )
    customers = Customer.objects.in_bulk(shown["customer"].unique().tolist())
    factors = Factor.objects.in_bulk(shown["factor"].unique().tolist())
    competitors = Competitor.objects.in_bulk(
        [c for c in shown["competitor"].unique().tolist() if c]
    )
    agreed = {
        (c, f, comp or 0): float(v)
        for c, f, comp, v in Consensus.objects.filter(round=scoring_round).values_list(
            "customer_id", "factor_id", "competitor_id", "value"
        )
    }
    by_cell = dict(list(shown.groupby("cell")))
    cells = []
    for index in order:
        group = by_cell[spread["cell"][index]]
        customer_id, factor_id, competitor_id = (int(group.iloc[0][key]) for key in keys)
        cells.append(
            DisagreementCell(
                customer=customers[customer_id],
                factor=factors[factor_id],
                competitor=competitors.get(competitor_id),
                count=int(spread["count"][index]),
                low=float(spread["min"][index]),
                high=float(spread["max"][index]),
                std=float(spread["std"][index]),
                median=float(spread["median"][index]),
                consensus=agreed.get((customer_id, factor_id, competitor_id)),
                ratings=sorted(
                    (names.get(r, "?"), float(v))
                    for r, v in zip(group["rater"], group["value"], strict=True)
                ),
            )
        )
    return cells


def round_calibration(*, scoring_round: ScoringRound) -> list[dict]:
    """Who rates systematically higher or lower than the team, on shared cells."""
    from django.contrib.auth import get_user_model

    frame = _rating_frame(scoring_round=scoring_round)
    if frame.empty:
        return []
    frame["competitor"] = frame["competitor"].fillna(0).astype(int)
    cell = frame.groupby(["customer", "factor", "competitor"]).ngroup().to_numpy()
    calibration = engine.rater_calibration(
        cell, frame["rater"].to_numpy(), frame["value"].to_numpy()
    )
    users = get_user_model().objects.in_bulk(calibration["rater"].tolist())
    rows = [
        {"rater": users[int(rater)], "bias": float(bias), "cells": int(cells)}
        for rater, bias, cells in zip(
            calibration["rater"], calibration["bias"], calibration["cells"], strict=True
        )
    ]
    return sorted(rows, key=lambda row: -abs(row["bias"]))


def round_decisions(*, scoring_round: ScoringRound) -> dict[int, Decision]:
    return {
        decision.customer_id: decision
        for decision in scoring_round.decisions.select_related("decided_by")
    }


def round_pending_for_user(*, user) -> list[dict]:
    """Rounds in scoring that wait for this user's ratings, and how many cells are left.

    A sales manager rates the accounts they own; a team member rates every account.
    """
    from .services import user_can_manage_rounds

    rounds = list(ScoringRound.objects.filter(status=ScoringRound.Status.SCORING))
    if not rounds:
        return []
    competitors = Competitor.objects.count()
    accounts = Customer.objects.all()
    if not user_can_manage_rounds(user=user):
        accounts = accounts.filter(owner=user)
    account_count = accounts.count()
    pending = []
    for scoring_round in rounds:
        factors = round_factors(scoring_round=scoring_round)
        rated_by_people = [f for f in factors[Axis.ATTRACTIVENESS] if not f.metric]
        expected = account_count * (
            len(rated_by_people) + len(factors[Axis.STRENGTH]) * (1 + competitors)
        )
        done = Rating.objects.filter(round=scoring_round, rater=user, customer__in=accounts).count()
        if expected > done:
            pending.append({"round": scoring_round, "left": expected - done, "expected": expected})
    return pending


# Ledger stages that put a selected key account up for review whatever its box.
DESELECTION_STAGES = ("lapsed", "declining")


@dataclass
class ReviewRow:
    customer: AccountRef
    before: AccountPosition | None
    after: AccountPosition | None
    previous_decision: Decision | None

    @property
    def moved(self) -> bool:
        return bool(self.before and self.after and self.before.box != self.after.box)


def round_review(*, scoring_round: ScoringRound, previous: ScoringRound) -> dict:
    """This round against the previous one: who entered, left or changed box, and which
    accounts selected last time may no longer deserve it."""
    now = round_matrix(scoring_round=scoring_round)
    then = round_matrix(scoring_round=previous)
    now_rows = {c.pk: row for row, c in enumerate(now.customers) if now.result.complete[row]}
    then_rows = {c.pk: row for row, c in enumerate(then.customers) if then.result.complete[row]}
    previous_decisions = round_decisions(scoring_round=previous)
    rows = []
    for pk in sorted(set(now_rows) | set(then_rows)):
        after = now.position(now_rows[pk]) if pk in now_rows else None
        before = then.position(then_rows[pk]) if pk in then_rows else None
        rows.append(
            ReviewRow(
                customer=(after or before).customer,
                before=before,
                after=after,
                previous_decision=previous_decisions.get(pk),
            )
        )
    deselection = [
        row
        for row in rows
        if row.previous_decision
        and row.previous_decision.choice == Decision.Choice.KEY
        and (
            row.after is None
            or row.after.box != engine.KEY
            or row.customer.stage in DESELECTION_STAGES
        )
    ]
    return {
        "now": now,
        "then": then,
        "entered": [row for row in rows if row.before is None],
        "left": [row for row in rows if row.after is None],
        "moved": [row for row in rows if row.moved],
        "deselection_candidates": deselection,
        "rows": rows,
    }


@dataclass
class Sensitivity:
    share: float  # realistic factors' share of the pure+realistic pool, 0..1
    current_share: float
    weights: dict[int, float]  # attractiveness factor id -> weight under this share
    attractiveness: np.ndarray
    boxes: np.ndarray
    changes: list[tuple[AccountRef, str, str]]  # account, box before, box after
    attractiveness_cutoff: float
    strength_cutoff: float
    movable: bool


def round_sensitivity(
    *,
    matrix: RoundMatrix,
    share: float | None,
    attractiveness_cutoff: float | None = None,
    strength_cutoff: float | None = None,
) -> Sensitivity:
    """The matrix under another balance of pure and realistic factors and other cut-offs,
    computed by the engine from the ratings already loaded (nothing is saved)."""
    factors = matrix.attractiveness_factors
    weights = np.array([float(f.weight) for f in factors])
    considerations = np.array([f.consideration for f in factors])
    current = engine.realistic_share(weights, considerations)
    share = current if share is None else min(max(share, 0.0), 1.0)
    try:
        moved = engine.sensitivity_weights(weights, considerations, share)
        movable = True
    except ValueError:
        moved, share, movable = weights, current, False
    a_cut = float(
        matrix.scoring_round.attractiveness_cutoff
        if attractiveness_cutoff is None
        else attractiveness_cutoff
    )
    s_cut = float(
        matrix.scoring_round.strength_cutoff if strength_cutoff is None else strength_cutoff
    )
    attractiveness, boxes = engine.matrix_rescore(
        matrix.result,
        attractiveness_weights=moved,
        attractiveness_cutoff=a_cut,
        strength_cutoff=s_cut,
    )
    changed = engine.box_changes(matrix.result.box, boxes)
    return Sensitivity(
        share=share,
        current_share=current,
        weights={f.pk: float(w) for f, w in zip(factors, moved, strict=True)},
        attractiveness=attractiveness,
        boxes=boxes,
        changes=[(matrix.customers[row], matrix.result.box[row], boxes[row]) for row in changed],
        attractiveness_cutoff=a_cut,
        strength_cutoff=s_cut,
        movable=movable,
    )
