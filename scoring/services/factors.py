"""Writes of factor sets and their weights, typed or adopted from the sensitivity view."""

import hashlib
import json
from copy import copy
from decimal import Decimal
from uuid import uuid4

from auditlog.context import disable_auditlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kamapp.audit import audit_log_save

from ..models import Axis, Factor, ScoringRound
from ..permissions import user_can_manage_rounds
from .derived import derived_ratings_refresh
from .rounds import round_check_open


def weights_check(*, axis_label: str, weights: list[Decimal]) -> None:
    """Weights on an axis must add up to exactly 100."""
    total = sum(weights, Decimal(0))
    if weights and total != Decimal(100):
        raise ValidationError(
            _("The %(axis)s weights add up to %(total)s, not 100."),
            params={"axis": axis_label, "total": f"{total.normalize():f}"},
            code="weights_sum",
        )


def factor_set_version(*, factors: list[Factor]) -> str:
    """A fingerprint of an axis's factors as a form shows them: a form drawn from other
    factors than the stored ones is stale, and saving it would undo someone else's change."""
    rows = sorted(
        [
            factor.pk,
            factor.name,
            f"{Decimal(factor.weight).quantize(Decimal('0.01')):f}",
            factor.position,
            factor.consideration,
            factor.metric,
            factor.derivation,
            factor.bands,
            factor.rubric_low,
            factor.rubric_mid,
            factor.rubric_high,
        ]
        for factor in factors
    )
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()[:32]


def _stale_form() -> ValidationError:
    return ValidationError(
        _(
            "These factors were changed since this page was opened, so nothing was saved. "
            "Reload the page to see them as they are now, then make your changes again."
        ),
        code="stale",
    )


def _round_locked(scoring_round: ScoringRound) -> ScoringRound:
    """The round's row, locked until the transaction ends: saves of one round's factors
    (forms, adoption) run one after another, each checking what the previous one left."""
    return ScoringRound.objects.select_for_update().get(pk=scoring_round.pk)


@transaction.atomic
def factor_set_save(
    *, scoring_round: ScoringRound, axis: str, factors: list[dict], version: str | None = None
) -> None:
    """Replace an axis's factor set: create, rename, reweight, reorder, remove.

    Each dict has the factor fields and `id` (None for a new factor) and `delete`.
    Factors keep their ratings when renamed or reweighted; removed factors lose theirs.
    `version` is `factor_set_version` of the factors the form was drawn from: a form drawn
    from other factors is refused (None: the caller holds no form, e.g. a seed script).
    The weights of every factor on the axis after the save, listed or not, add up to 100.
    """
    round_check_open(scoring_round=_round_locked(scoring_round))
    existing = {factor.pk: factor for factor in scoring_round.factors.filter(axis=axis)}
    if version is not None and version != factor_set_version(factors=list(existing.values())):
        raise _stale_form()
    ids = [item["id"] for item in factors if item.get("id")]
    if len(ids) != len(set(ids)) or not set(ids) <= set(existing):
        # A row names a factor twice, or one no longer on this axis: not a form we drew.
        raise _stale_form()
    kept = [item for item in factors if not item.get("delete")]
    listed = set(ids)
    weights_check(
        axis_label=Axis(axis).label.lower(),
        weights=[Decimal(item["weight"]) for item in kept]
        + [factor.weight for pk, factor in existing.items() if pk not in listed],
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
            factor.metric = item.get("metric", "")  # Factor.clean: which metric rates which axis
            factor.derivation = item.get("derivation", "") if factor.metric else ""
            factor.bands = item.get("bands", []) if factor.metric else []
            factor.full_clean(exclude=["round"], validate_unique=False)
            factor.save()
            saved.append((original, factor))
    for original, factor in saved:
        audit_log_save(old=original, new=factor)
    derived_ratings_refresh(rounds=[scoring_round])


def _weights_to_hundred(weights: list[float]) -> list[Decimal]:
    """Round to 2 decimals so the sum is exactly 100 (largest remainders get the cents)."""
    cents = [w * 100 for w in weights]
    floors = [int(c) for c in cents]
    short = 10_000 - sum(floors)
    order = sorted(range(len(cents)), key=lambda i: cents[i] - floors[i], reverse=True)
    for i in order[: max(short, 0)]:
        floors[i] += 1
    return [Decimal(c) / 100 for c in floors]


def adoption_check_allowed(*, scoring_round: ScoringRound, user) -> None:
    """Who may adopt weights and cut-offs and when: the selection team, in the meeting.
    Checked before anything is computed: moved cut-offs before the meeting would let the
    boxes of later decisions tell the pooled scores that blind scoring hides."""
    if not user_can_manage_rounds(user=user):
        raise PermissionDenied(_("Only the selection team can change the weights."))
    round_check_open(scoring_round=scoring_round)
    if not scoring_round.in_meeting:
        raise ValidationError(
            _("Weights and cut-offs are adopted in the meeting, once all ratings are revealed."),
            code="not_meeting",
        )


@transaction.atomic
def round_adopt_weights(
    *,
    scoring_round: ScoringRound,
    weights: dict[int, float],
    cutoffs: tuple | None,
    user,
    version: str | None = None,
) -> None:
    """Adopt the weights (and cut-offs) the team arrived at in the sensitivity view.

    `weights` holds every factor of each axis it touches; `version` is `factor_set_version`
    of the attractiveness factors the page was drawn from (None: no page, no check).
    """
    adoption_check_allowed(scoring_round=_round_locked(scoring_round), user=user)
    axes = set(scoring_round.factors.filter(pk__in=weights).values_list("axis", flat=True))
    on_axes = list(scoring_round.factors.filter(axis__in=axes).order_by("pk"))
    attractiveness = list(scoring_round.factors.filter(axis=Axis.ATTRACTIVENESS))
    if version is not None and version != factor_set_version(factors=attractiveness):
        raise _stale_form()
    if {factor.pk for factor in on_axes} != set(weights):
        raise _stale_form()  # a factor added since, or one of another round
    for axis in Axis.values:
        axis_factors = [f for f in on_axes if f.axis == axis]
        if not axis_factors:
            continue
        rounded = _weights_to_hundred([weights[f.pk] for f in axis_factors])
        weights_check(axis_label=Axis(axis).label.lower(), weights=rounded)
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
