"""Writes of ratings: parsing a typed value and storing one rating cell."""

import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Competitor, Customer

from ..models import RATING_MAX, RATING_MIN, Axis, Factor, Rating, ScoringRound
from ..permissions import user_can_rate
from .rounds import round_check_open

_RATING_PATTERN = re.compile(r"(?P<sign>[+-]?)(?P<int>[0-9]*)(?:[.,](?P<frac>[0-9]*))?", re.ASCII)
RATING_DECIMALS = 2
# The cell's objects, loaded for this save: full_clean need not query that they exist.
_CELL_FIELDS = ["round", "customer", "factor", "rater", "competitor"]


def _rating_refused(message, code: str, raw: str) -> ValidationError:
    return ValidationError(message, params={"value": raw.strip()[:20]}, code=code)


def rating_parse(raw: str | None) -> Decimal | None:
    """A typed rating: None for an empty cell, else the Decimal it spells.

    The grammar, after surrounding whitespace is dropped (an empty cell clears the rating):

        rating = [sign] digits [sep [digits]]  |  [sign] sep digits
        sign   = "+" | "-"          sep = "." | ","  (people type both decimal marks)
        digits = one or more of the ASCII digits 0-9

    and its value runs from 0 to 10 with at most 2 digits after the decimal mark. Anything
    else is refused with a ValidationError whose code says why: `invalid` (not a number:
    exponents, nan, inf, thousands marks), `digits` (digits other than 0-9, refused as ids
    are in `kamapp.forms.parse_id`), `out_of_range`, or `decimals` (never rounded: what is
    stored is what was typed).
    """
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    match = _RATING_PATTERN.fullmatch(text)
    if not match or not (match["int"] or match["frac"]):
        if any(char.isdigit() and not char.isascii() for char in text):
            raise _rating_refused(
                _("“%(value)s” has digits other than 0-9: type the rating with 0-9, e.g. 7.5."),
                "digits",
                raw,
            )
        raise _rating_refused(
            _("“%(value)s” is not a number. Type a rating from 0 to 10, e.g. 7.5."), "invalid", raw
        )
    frac = match["frac"] or ""
    value = Decimal(f"{match['sign']}{match['int'] or 0}.{frac or 0}")
    if not RATING_MIN <= value <= RATING_MAX:
        raise _rating_refused(
            _("%(value)s is out of range: ratings run from 0 to 10."), "out_of_range", raw
        )
    if len(frac) > RATING_DECIMALS:
        raise _rating_refused(
            _("%(value)s has more than 2 decimals: type at most 2, e.g. 7.25."), "decimals", raw
        )
    # Two places, as stored, so the audit trail's old and new values read alike; abs() makes
    # a typed "-0" the zero it is.
    return abs(value).quantize(Decimal("0.01"))


def cell_check(*, scoring_round: ScoringRound, factor: Factor, competitor) -> None:
    """A cell is a factor of this round, names a competitor only on strength, and is not
    one rated from a metric (a derived factor: on strength, our own cell of it)."""
    if factor.metric and competitor is None:
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
            rating.full_clean(
                exclude=_CELL_FIELDS, validate_unique=False, validate_constraints=False
            )
            try:
                with transaction.atomic():
                    rating.save()
                return rating
            except IntegrityError:
                # Someone stored this cell between our read and our insert (two tabs, two
                # clicks): theirs is committed now, so update it under the lock instead.
                rating = Rating.objects.select_for_update().get(**lookup)
        # The objects it was found by: clean() and the audit trail's text read them, no query.
        rating.customer, rating.factor, rating.rater = customer, factor, rater
        rating.competitor = competitor
        rating.value = value
        # Only the value changes: the cell's uniqueness holds, and its range is the field's
        # validators (the database's check constraint stays the last word).
        rating.full_clean(exclude=_CELL_FIELDS, validate_unique=False, validate_constraints=False)
        rating.save()
    return rating
