"""Writes of ratings: parsing a typed value and storing one rating cell."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Competitor, Customer

from ..models import RATING_MAX, RATING_MIN, Axis, Factor, Rating, ScoringRound
from ..permissions import user_can_rate
from .rounds import round_check_open

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


def cell_check(*, scoring_round: ScoringRound, factor: Factor, competitor) -> None:
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
    if not scoring_round.accepts_ratings:
        raise ValidationError(
            _("The round is in draft: agree its factors, then the coordinator opens scoring."),
            code="draft",
        )
    cell_check(scoring_round=scoring_round, factor=factor, competitor=competitor)
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
