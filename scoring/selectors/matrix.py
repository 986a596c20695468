"""The matrix: a round's accounts placed by the engine, with what a page or export shows."""

from dataclasses import dataclass, field, fields, replace
from functools import cached_property

import numpy as np
from django.contrib.auth import get_user_model
from django.db.models import FloatField, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import CompanySettings, Competitor, Customer, Segment

from .. import engine
from ..models import Axis, Factor, ScoringRound
from ..permissions import round_view_rater
from .cells import round_cell_means
from .rounds import round_factors

# The boxes' default names, marked for translation. A company that never renamed a box
# keeps the English default in the database and sees it in the reader's language; a name
# the company typed is its own data and is shown as typed.
DEFAULT_BOX_NAMES = {
    "box_key_name": gettext_lazy("Key"),
    "box_key_development_name": gettext_lazy("Key development"),
    "box_maintenance_name": gettext_lazy("Maintenance"),
    "box_opportunistic_name": gettext_lazy("Opportunistic"),
}


_BOX_ORDER = {box: index for index, box in enumerate(engine.BOXES)}

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


def optional_floats(values: np.ndarray) -> list[float | None]:
    """optional_float of each value, in one pass (a page builds hundreds of these rows)."""
    return [None if value != value else value for value in values.tolist()]  # NaN != NaN


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
    _labels_by_language: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def axes_without_factors(self) -> list[str]:
        """The axes (their names) with no factor in the round: no account is placed then."""
        axes = (
            (Axis.ATTRACTIVENESS, self.attractiveness_factors),
            (Axis.STRENGTH, self.strength_factors),
        )
        return [str(axis.label) for axis, factors in axes if not factors]

    @cached_property
    def rated_nothing(self) -> np.ndarray:
        # Cached: position() reads one row of it for every account on a page.
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
            attractiveness_ratings=optional_floats(self.attractiveness_ratings[row]),
            attractiveness_contributions=optional_floats(result.attractiveness_contributions[row]),
            strength_contributions=optional_floats(result.strength_contributions[row]),
        )

    @cached_property
    def positions(self) -> list[AccountPosition]:
        return [self.position(row) for row in range(len(self.customers))]

    def by_customer(self) -> dict[int, AccountPosition]:
        return {position.customer.pk: position for position in self.positions}

    def placed_rows(self, sort: str = "-attractiveness") -> np.ndarray:
        """Rows on the matrix in a table order: a column of `MATRIX_SORTS`, "-" before it
        for descending; most attractive first by default. Ties keep the names' order and
        accounts without a tier come last either way."""
        placed = np.flatnonzero(self.result.complete)
        column = sort.removeprefix("-")
        tiers = np.array([customer.tier for customer in self.customers], dtype=object)
        keys = {
            "name": np.arange(len(self.customers), dtype=float),
            "attractiveness": self.result.attractiveness,
            "strength": self.result.relative_strength,
            "box": np.array([_BOX_ORDER.get(box, len(_BOX_ORDER)) for box in self.result.box]),
            "tier": np.array([ord(tier) if tier else 0 for tier in tiers], dtype=float),
            "revenue": self.revenue,
        }
        key = np.asarray(keys[column], dtype=float)[placed]
        if sort.startswith("-"):
            key = -key
        last = (tiers[placed] == "") if column == "tier" else np.zeros(len(placed), dtype=bool)
        # lexsort's last key sorts first: blanks last, then the column, then the name.
        return placed[np.lexsort((placed, key, last))]

    @cached_property
    def _missing_any(self) -> np.ndarray:
        result = self.result
        return (
            result.missing_attractiveness.any(axis=1)
            | result.missing_our_strength.any(axis=1)
            | result.missing_competitor_strength.any(axis=(1, 2))
        )

    def _missing_labels(self, row: int) -> list[str]:
        if not self._missing_any[row]:  # most accounts: no names to build
            return []
        result = self.result
        masks = np.concatenate(
            [
                result.missing_attractiveness[row],
                result.missing_our_strength[row],
                result.missing_competitor_strength[row].ravel(),
            ]
        )
        return [label for label, missing in zip(self._cell_labels(), masks, strict=True) if missing]

    def _cell_labels(self) -> list[str]:
        """Every cell's name, in the order of _missing_labels' masks: attractiveness factors,
        our strength, then each competitor's; built once per matrix and language."""
        language = get_language()
        if language not in self._labels_by_language:
            labels = [factor.name for factor in self.attractiveness_factors]
            labels += [
                _("%(factor)s (us)") % {"factor": factor.name} for factor in self.strength_factors
            ]
            labels += [
                _("%(factor)s (%(competitor)s)")
                % {"factor": factor.name, "competitor": competitor.name}
                for competitor in self.competitors
                for factor in self.strength_factors
            ]
            self._labels_by_language[language] = labels
        return self._labels_by_language[language]


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
    customers = _account_refs(scope)

    attractiveness_ratings, strength_ratings, a_counts, s_counts = round_cell_means(
        scoring_round=scoring_round,
        rater=rater,
        customer_ids=customer_ids,
        customers=customers,
        attractiveness_factors=attractiveness_factors,
        strength_factors=strength_factors,
        competitors=competitors,
    )
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


def round_matrix_seen_by(*, scoring_round: ScoringRound, user, **scope) -> RoundMatrix:
    """The matrix as this user may see it: their own ratings while scoring is blind,
    everyone's from the meeting on."""
    return round_matrix(
        scoring_round=scoring_round,
        rater=round_view_rater(scoring_round=scoring_round, user=user),
        **scope,
    )


def matrix_filters_describe(*, filters, labels: dict[str, str]) -> str:
    """The filters a view of the matrix applies, in words ("All accounts" for none)."""
    parts = []
    if filters.segment:
        segment = Segment.objects.filter(pk=filters.segment).values_list("name", flat=True)
        parts.append(_("Segment: %(name)s") % {"name": segment.first() or "—"})
    if filters.owner:
        owner = get_user_model().objects.filter(pk=filters.owner).first()
        name = (owner.get_full_name() or owner.get_username()) if owner else "—"
        parts.append(_("Owner: %(name)s") % {"name": name})
    if filters.box:
        parts.append(_("Box: %(name)s") % {"name": labels[filters.box]})
    if filters.tier:
        parts.append(_("Tier %(tier)s") % {"tier": filters.tier})
    if not parts:
        return _("All accounts")
    return _("Filtered: %(filters)s") % {"filters": " · ".join(parts)}
