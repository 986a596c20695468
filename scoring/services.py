"""Writes for selection rounds: creating rounds, factor sets and ratings."""

import re
from copy import copy
from decimal import Decimal, InvalidOperation
from uuid import uuid4

from auditlog.context import disable_auditlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import CompanySettings, Competitor, Customer
from kamapp.audit import audit_log_save

from .models import RATING_MAX, RATING_MIN, Axis, Factor, Rating, ScoringRound

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
    if factor.round_id != scoring_round.pk:
        raise ValidationError(_("That factor belongs to another round."), code="wrong_round")
    if competitor is not None and factor.axis != Axis.STRENGTH:
        raise ValidationError(
            _("Only strength factors are rated for competitors."), code="wrong_axis"
        )
    value = rating_parse(raw_value)
    lookup = {"factor": factor, "customer": customer, "rater": rater, "competitor": competitor}
    if value is None:
        Rating.objects.filter(**lookup).delete()
        return None
    with transaction.atomic():
        rating = Rating.objects.select_for_update().filter(**lookup).first()
        if rating is None:
            rating = Rating(round=scoring_round, value=value, **lookup)
            rating.full_clean(validate_unique=False)
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
            )
            for factor in copy_factors_from.factors.all()
        )
        for factor in copied:  # bulk_create sends no signals
            audit_log_save(old=None, new=factor)
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
            factor.full_clean(exclude=["round"], validate_unique=False)
            factor.save()
            saved.append((original, factor))
    for original, factor in saved:
        audit_log_save(old=original, new=factor)
