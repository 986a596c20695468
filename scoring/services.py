"""Writes for selection rounds: creating rounds, factor sets and ratings."""

import re
from copy import copy
from decimal import Decimal, InvalidOperation
from uuid import uuid4

import numpy as np
from auditlog.context import disable_auditlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import CompanySettings, Competitor, Customer
from kamapp.audit import audit_log_save
from kamapp.roles import Role, user_role

from . import engine
from .models import (
    RATING_MAX,
    RATING_MIN,
    Axis,
    Consensus,
    Decision,
    Derivation,
    DerivedMetric,
    DerivedRating,
    Factor,
    Rating,
    RoundMember,
    ScoringRound,
)

# Rounds in these stages accept no change at all; corrections need a new round.
LOCKED_STATUSES = {ScoringRound.Status.DECIDED, ScoringRound.Status.ARCHIVED}
_RATING_PATTERN = re.compile(r"^\s*(\d{1,2})?(?:[.,](\d{1,2}))?\s*$")


def rating_parse(raw: str) -> Decimal | None:
    """A typed rating: None for an empty cell, else a Decimal 0-10 with up to 2 decimals.

    A decimal comma is accepted as well as a point, as people type both.
    """
    if raw is None or not raw.strip():
        return None
    match = _RATING_PATTERN.match(raw)
    if not match or (match.group(1) is None and match.group(2) is None):
        raise ValidationError(
            _("“%(value)s” is not a number. Type a rating from 0 to 10, e.g. 7.5."),
            params={"value": raw[:20]},
            code="invalid",
        )
    try:
        # Two places, as stored, so the audit trail's old and new values read alike.
        value = Decimal(f"{match.group(1) or 0}.{match.group(2) or 0}").quantize(Decimal("0.01"))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValidationError(_("Not a number."), code="invalid") from exc
    if not RATING_MIN <= value <= RATING_MAX:
        raise ValidationError(
            _("%(value)s is out of range: ratings run from 0 to 10."),
            params={"value": raw.strip()},
            code="out_of_range",
        )
    return value


def round_check_open(*, scoring_round: ScoringRound) -> None:
    if scoring_round.status in LOCKED_STATUSES:
        raise ValidationError(
            _("This round is %(status)s: nothing in it can change. Start a new round instead."),
            params={"status": scoring_round.get_status_display().lower()},
            code="locked",
        )


def user_can_rate(*, user, customer: Customer) -> bool:
    """Sales managers rate only the accounts they own; the team and admins rate any."""
    if not user.has_perm("scoring.change_rating"):
        return False
    return user.has_perm("scoring.rate_any_account") or customer.owner_id == user.pk


def user_can_manage_rounds(*, user) -> bool:
    return user.has_perm("scoring.change_scoringround")


def _check_cell(*, scoring_round: ScoringRound, factor: Factor, competitor) -> None:
    """A cell is a factor of this round, names a competitor only on strength, and is not
    one that the ledger rates (a derived factor)."""
    if factor.metric:
        raise ValidationError(
            _("“%(factor)s” is derived from %(metric)s: it is rated automatically."),
            params={"factor": factor.name, "metric": factor.get_metric_display().lower()},
            code="derived",
        )
    if factor.round_id != scoring_round.pk:
        raise ValidationError(_("That factor belongs to another round."), code="wrong_round")
    if competitor is not None and factor.axis != Axis.STRENGTH:
        raise ValidationError(
            _("Only strength factors are rated for competitors."), code="wrong_axis"
        )


def rating_record(
    *,
    scoring_round: ScoringRound,
    customer: Customer,
    factor: Factor,
    competitor: Competitor | None,
    rater,
    raw_value: str,
) -> Rating | None:
    """Store (or clear, for an empty value) one rating cell; refuses anything invalid."""
    if not user_can_rate(user=rater, customer=customer):
        raise PermissionDenied(_("You can only rate the accounts you own."))
    round_check_open(scoring_round=scoring_round)
    if scoring_round.status not in RATING_STATUSES:
        raise ValidationError(
            _("The round is in draft: agree its factors, then the coordinator opens scoring."),
            code="draft",
        )
    _check_cell(scoring_round=scoring_round, factor=factor, competitor=competitor)
    value = rating_parse(raw_value)
    lookup = {"factor": factor, "customer": customer, "rater": rater, "competitor": competitor}
    if value is None:
        Rating.objects.filter(**lookup).delete()
        return None
    with transaction.atomic():
        rating = Rating.objects.select_for_update().filter(**lookup).first()
        if rating is None:
            rating = Rating(round=scoring_round, value=value, **lookup)
            # The unique constraint is left to the database: a check here would race with a
            # concurrent insert and refuse it instead of reaching the fallback below.
            rating.full_clean(validate_unique=False, validate_constraints=False)
            try:
                with transaction.atomic():
                    rating.save()
                return rating
            except IntegrityError:
                # Someone stored this cell between our read and our insert (two tabs, two
                # clicks): theirs is committed now, so update it under the lock instead.
                rating = Rating.objects.select_for_update().get(**lookup)
        rating.value = value
        rating.full_clean(validate_unique=False)
        rating.save()
    return rating


@transaction.atomic
def round_create(
    *, name: str, date, created_by, copy_factors_from: ScoringRound | None = None
) -> ScoringRound:
    """A new round in draft, optionally starting from another round's factor set."""
    company = CompanySettings.load()
    scoring_round = ScoringRound(
        name=name,
        date=date,
        created_by=created_by,
        attractiveness_cutoff=company.attractiveness_cutoff,
        strength_cutoff=company.strength_cutoff,
    )
    scoring_round.full_clean()
    scoring_round.save()
    if copy_factors_from is not None:
        copied = Factor.objects.bulk_create(
            Factor(
                round=scoring_round,
                axis=factor.axis,
                name=factor.name,
                weight=factor.weight,
                consideration=factor.consideration,
                position=factor.position,
                rubric_low=factor.rubric_low,
                rubric_mid=factor.rubric_mid,
                rubric_high=factor.rubric_high,
                metric=factor.metric,
                derivation=factor.derivation,
                bands=factor.bands,
            )
            for factor in copy_factors_from.factors.all()
        )
        for factor in copied:  # bulk_create sends no signals
            audit_log_save(old=None, new=factor)
        derived_ratings_refresh(rounds=[scoring_round])
    return scoring_round


def weights_check(*, axis_label: str, weights: list[Decimal]) -> None:
    """Weights on an axis must add up to exactly 100."""
    total = sum(weights, Decimal(0))
    if weights and total != Decimal(100):
        raise ValidationError(
            _("The %(axis)s weights add up to %(total)s, not 100."),
            params={"axis": axis_label, "total": f"{total.normalize():f}"},
            code="weights_sum",
        )


@transaction.atomic
def factor_set_save(*, scoring_round: ScoringRound, axis: str, factors: list[dict]) -> None:
    """Replace an axis's factor set: create, rename, reweight, reorder, remove.

    Each dict has the factor fields and `id` (None for a new factor) and `delete`.
    Factors keep their ratings when renamed or reweighted; removed factors lose theirs.
    """
    round_check_open(scoring_round=scoring_round)
    kept = [item for item in factors if not item.get("delete")]
    weights_check(
        axis_label=Axis(axis).label.lower(), weights=[Decimal(item["weight"]) for item in kept]
    )
    names = [item["name"].strip().casefold() for item in kept]
    duplicates = sorted(
        {item["name"] for item in kept if names.count(item["name"].strip().casefold()) > 1}
    )
    if duplicates:
        raise ValidationError(
            _("Two factors cannot share a name: %(names)s."),
            params={"names": ", ".join(duplicates)},
            code="duplicate_name",
        )
    existing = {factor.pk: factor for factor in scoring_round.factors.filter(axis=axis)}
    removed = [item["id"] for item in factors if item.get("delete") and item.get("id")]
    Factor.objects.filter(pk__in=removed, round=scoring_round).delete()
    saved = []
    # The names pass through placeholders, which the audit trail must not take for the old
    # names: these saves are logged by hand against the factors as read above.
    with disable_auditlog():
        # Free the names first, so two factors can swap names within one save.
        for item in kept:
            if item.get("id") in existing:
                # Not NUL, which PostgreSQL refuses in text; random, so no typed name matches.
                Factor.objects.filter(pk=item["id"]).update(name=f"\x1f{uuid4().hex}")
        for position, item in enumerate(kept):
            original = existing.get(item.get("id"))
            factor = copy(original) if original else Factor(round=scoring_round, axis=axis)
            factor.name = item["name"]
            factor.weight = item["weight"]
            factor.consideration = (
                item.get("consideration", "") if axis == Axis.ATTRACTIVENESS else ""
            )
            factor.position = position
            factor.rubric_low = item.get("rubric_low", "")
            factor.rubric_mid = item.get("rubric_mid", "")
            factor.rubric_high = item.get("rubric_high", "")
            factor.metric = item.get("metric", "") if axis == Axis.ATTRACTIVENESS else ""
            factor.derivation = item.get("derivation", "") if factor.metric else ""
            factor.bands = item.get("bands", []) if factor.metric else []
            factor.full_clean(exclude=["round"], validate_unique=False)
            factor.save()
            saved.append((original, factor))
    for original, factor in saved:
        audit_log_save(old=original, new=factor)
    derived_ratings_refresh(rounds=[scoring_round])


# --- The selection team's round: stages, members, consensus, decisions ------------------
STAGE_FLOW = {
    ScoringRound.Status.DRAFT: {ScoringRound.Status.SCORING},
    ScoringRound.Status.SCORING: {ScoringRound.Status.DRAFT, ScoringRound.Status.MEETING},
    ScoringRound.Status.MEETING: {ScoringRound.Status.SCORING, ScoringRound.Status.DECIDED},
    ScoringRound.Status.DECIDED: {ScoringRound.Status.ARCHIVED},
    ScoringRound.Status.ARCHIVED: set(),
}
RATING_STATUSES = {ScoringRound.Status.SCORING, ScoringRound.Status.MEETING}


def user_is_coordinator(*, user, scoring_round: ScoringRound) -> bool:
    """The round's coordinator leads the meeting; admins may stand in."""
    if user_role(user) == Role.ADMIN:
        return True
    return RoundMember.objects.filter(
        round=scoring_round, user=user, team_role=RoundMember.TeamRole.COORDINATOR
    ).exists()


def user_follows_meeting(*, user, scoring_round: ScoringRound) -> bool:
    """The selection team, and anyone who is a member of this round's team."""
    return (
        user.has_perm("scoring.view_decision")
        or RoundMember.objects.filter(round=scoring_round, user=user).exists()
    )


def _require_coordinator(*, user, scoring_round: ScoringRound) -> None:
    if not user_is_coordinator(user=user, scoring_round=scoring_round):
        raise PermissionDenied(_("Only the round's coordinator can do this."))


def round_check_axes(*, scoring_round: ScoringRound) -> None:
    """Scoring needs factors on both axes: an axis without any places no account."""
    present = set(scoring_round.factors.values_list("axis", flat=True))
    for axis in (Axis.ATTRACTIVENESS, Axis.STRENGTH):
        if axis not in present:
            raise ValidationError(
                _("Scoring cannot start: the round has no factor on the %(axis)s axis."),
                params={"axis": axis.label},
                code="no_axis_factors",
            )


def round_transition(*, scoring_round: ScoringRound, to_status: str, user) -> ScoringRound:
    """Move a round to its next (or previous) stage; decided rounds are locked for good."""
    _require_coordinator(user=user, scoring_round=scoring_round)
    if to_status not in STAGE_FLOW.get(scoring_round.status, set()):
        raise ValidationError(
            _("A round cannot go from %(current)s to %(target)s."),
            params={
                "current": scoring_round.get_status_display(),
                "target": ScoringRound.Status(to_status).label
                if to_status in ScoringRound.Status.values
                else to_status,
            },
            code="bad_transition",
        )
    if to_status == ScoringRound.Status.SCORING and not scoring_round.factors.exists():
        raise ValidationError(_("Agree the factors before scoring starts."), code="no_factors")
    if to_status == ScoringRound.Status.SCORING:
        round_check_axes(scoring_round=scoring_round)
    scoring_round.status = to_status
    scoring_round.save(update_fields=["status"])
    return scoring_round


def round_member_set(
    *, scoring_round: ScoringRound, member, team_role: str, user
) -> RoundMember | None:
    """Add, change or (with an empty role) remove a member of the round's team."""
    if not user_is_coordinator(user=user, scoring_round=scoring_round) and not (
        user_can_manage_rounds(user=user)
        and not scoring_round.members.filter(team_role=RoundMember.TeamRole.COORDINATOR).exists()
    ):
        raise PermissionDenied(_("Only the round's coordinator can change its team."))
    round_check_open(scoring_round=scoring_round)
    if not team_role:
        RoundMember.objects.filter(round=scoring_round, user=member).delete()
        return None
    membership, _created = RoundMember.objects.update_or_create(
        round=scoring_round, user=member, defaults={"team_role": team_role}
    )
    membership.full_clean()
    return membership


def consensus_record(
    *,
    scoring_round: ScoringRound,
    customer: Customer,
    factor: Factor,
    competitor: Competitor | None,
    raw_value: str,
    user,
) -> Consensus | None:
    """The coordinator records the agreed value of one cell (empty clears it)."""
    _require_coordinator(user=user, scoring_round=scoring_round)
    round_check_open(scoring_round=scoring_round)
    if scoring_round.status != ScoringRound.Status.MEETING:
        raise ValidationError(
            _("Consensus is recorded in the meeting, once all ratings are revealed."),
            code="not_meeting",
        )
    _check_cell(scoring_round=scoring_round, factor=factor, competitor=competitor)
    value = rating_parse(raw_value)
    lookup = {
        "round": scoring_round,
        "factor": factor,
        "customer": customer,
        "competitor": competitor,
    }
    if value is None:
        Consensus.objects.filter(**lookup).delete()
        return None
    consensus, _created = Consensus.objects.update_or_create(
        **lookup, defaults={"value": value, "recorded_by": user}
    )
    return consensus


DECISION_BOX = {
    Decision.Choice.KEY: "key",
    Decision.Choice.KEY_DEVELOPMENT: "key_development",
    Decision.Choice.MAINTENANCE: "maintenance",
    Decision.Choice.OPPORTUNISTIC: "opportunistic",
}


def decision_record(
    *,
    scoring_round: ScoringRound,
    customer: Customer,
    choice: str,
    coverage: str,
    rationale: str,
    box: str,
    user,
) -> Decision:
    """Record the team's decision for an account; a rationale is required when it differs
    from the account's box (and always for a de-selection)."""
    _require_coordinator(user=user, scoring_round=scoring_round)
    round_check_open(scoring_round=scoring_round)
    if scoring_round.status != ScoringRound.Status.MEETING:
        raise ValidationError(_("Decisions are recorded in the meeting."), code="not_meeting")
    rationale = (rationale or "").strip()
    if DECISION_BOX.get(choice) != box and not rationale:
        raise ValidationError(
            {"rationale": _("Say why: the decision differs from the account's box.")},
            code="rationale_required",
        )
    decision = Decision.objects.filter(round=scoring_round, customer=customer).first() or Decision(
        round=scoring_round, customer=customer
    )
    decision.choice = choice
    decision.coverage = coverage
    decision.rationale = rationale
    decision.box_at_decision = box
    decision.decided_by = user
    decision.full_clean()
    decision.save()
    return decision


def _weights_to_hundred(weights: list[float]) -> list[Decimal]:
    """Round to 2 decimals so the sum is exactly 100 (largest remainders get the cents)."""
    cents = [w * 100 for w in weights]
    floors = [int(c) for c in cents]
    short = 10_000 - sum(floors)
    order = sorted(range(len(cents)), key=lambda i: cents[i] - floors[i], reverse=True)
    for i in order[: max(short, 0)]:
        floors[i] += 1
    return [Decimal(c) / 100 for c in floors]


@transaction.atomic
def round_adopt_weights(
    *, scoring_round: ScoringRound, weights: dict[int, float], cutoffs: tuple | None, user
) -> None:
    """Adopt the weights (and cut-offs) the team arrived at in the sensitivity view."""
    if not user_can_manage_rounds(user=user):
        raise PermissionDenied(_("Only the selection team can change the weights."))
    round_check_open(scoring_round=scoring_round)
    factors = list(scoring_round.factors.filter(pk__in=weights).order_by("pk"))
    for axis in Axis.values:
        axis_factors = [f for f in factors if f.axis == axis]
        if not axis_factors:
            continue
        rounded = _weights_to_hundred([weights[f.pk] for f in axis_factors])
        for factor, weight in zip(axis_factors, rounded, strict=True):
            factor.weight = weight
            factor.save(update_fields=["weight"])
    if cutoffs is not None:
        scoring_round.attractiveness_cutoff, scoring_round.strength_cutoff = (
            Decimal(str(round(cutoffs[0], 2))),
            Decimal(str(round(cutoffs[1], 2))),
        )
        scoring_round.full_clean()
        scoring_round.save(update_fields=["attractiveness_cutoff", "strength_cutoff"])


# --- Derived factors ------------------------------------------------------------------------
def _metric_values(*, metric: str, customer_ids: list[int]) -> np.ndarray:
    """Each customer's value of a ledger metric (NaN where the metrics hold none)."""
    from accounts.models import CustomerMetrics, MetricsRun

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
