"""The demo company's selection rounds, made through scoring's services.

Rounds, factor sets, stages and decisions go through the services the pages use, so the
demo holds only what the app itself would let a team record; the thousands of ratings
are written in bulk, which the rating service (one cell per call) would make slow.
"""

import datetime as dt
from decimal import Decimal

import numpy as np
from django.contrib.auth import get_user_model

from scoring.models import Axis, Decision, Rating, RoundMember, ScoringRound
from scoring.services import (
    decision_record,
    factor_set_save,
    foresight_record,
    round_create,
    round_transition,
)

from .data import ATTRACTIVENESS_FACTORS, STRENGTH_FACTORS

# The path of a round through its stages.
_STAGES = [
    ScoringRound.Status.DRAFT,
    ScoringRound.Status.SCORING,
    ScoringRound.Status.MEETING,
    ScoringRound.Status.DECIDED,
]


def _factor_rows() -> dict[str, list[dict]]:
    """The factor set page's rows for each axis."""
    return {
        Axis.ATTRACTIVENESS: [
            {
                "id": None,
                "name": name,
                "weight": weight,
                "consideration": consideration,
                "rubric_low": low,
                "rubric_mid": mid,
                "rubric_high": high,
            }
            for name, consideration, weight, low, mid, high in ATTRACTIVENESS_FACTORS
        ],
        Axis.STRENGTH: [
            {
                "id": None,
                "name": name,
                "weight": weight,
                "rubric_low": low,
                "rubric_mid": mid,
                "rubric_high": high,
            }
            for name, weight, low, mid, high in STRENGTH_FACTORS
        ],
    }


def _round_with_factors(*, name: str, date: dt.date, created_by, foresight: bool = False) -> tuple:
    """The round of that name, created in draft with the demo factor set if it is new."""
    scoring_round = ScoringRound.objects.filter(name=name).first()
    if scoring_round is None:
        scoring_round = round_create(
            name=name, date=date, created_by=created_by, foresight=foresight
        )
        for axis, rows in _factor_rows().items():
            factor_set_save(scoring_round=scoring_round, axis=axis, factors=rows)
    factors = scoring_round.factors.order_by("position")
    return (
        scoring_round,
        list(factors.filter(axis=Axis.ATTRACTIVENESS)),
        list(factors.filter(axis=Axis.STRENGTH)),
    )


def _advance(*, scoring_round: ScoringRound, to_status: str, user) -> None:
    """Take the round stage by stage up to `to_status`; a round already there stays."""
    current, target = _STAGES.index(scoring_round.status), _STAGES.index(to_status)
    for status in _STAGES[current + 1 : target + 1]:
        round_transition(scoring_round=scoring_round, to_status=status, user=user)


def _coordinator_get(*, scoring_round: ScoringRound, user):
    """The round's coordinator: `user`, appointed unless the round already has one."""
    membership = (
        scoring_round.members.filter(team_role=RoundMember.TeamRole.COORDINATOR)
        .select_related("user")
        .first()
    )
    if membership is None:
        membership = RoundMember.objects.create(
            round=scoring_round, user=user, team_role=RoundMember.TeamRole.COORDINATOR
        )
    return membership.user


def _owner_ratings(
    rng, *, scoring_round, attractiveness, strength, customers, competitors, revenue_rank
) -> list[Rating]:
    """Each owner rates their accounts: attractiveness follows size, strength varies."""

    def value(centre: float) -> Decimal:
        return Decimal(str(round(float(np.clip(rng.normal(centre, 1.6), 0, 10)) * 2) / 2))

    ratings = []
    for customer, rank in zip(customers, revenue_rank, strict=True):
        if rng.random() < 0.12:  # not yet rated
            continue
        skip_one = rng.random() < 0.05  # a factor forgotten: shown as incomplete
        for factor in attractiveness[:-1] if skip_one else attractiveness:
            ratings.append(
                Rating(
                    round=scoring_round,
                    customer=customer,
                    factor=factor,
                    rater=customer.owner,
                    value=value(2 + 6 * rank),
                )
            )
        our_position = rng.uniform(3, 8)
        rated_competitors = competitors[: int(rng.integers(0, len(competitors) + 1))]
        for factor in strength:
            ratings.append(
                Rating(
                    round=scoring_round,
                    customer=customer,
                    factor=factor,
                    rater=customer.owner,
                    value=value(our_position),
                )
            )
            ratings += [
                Rating(
                    round=scoring_round,
                    customer=customer,
                    factor=factor,
                    rater=customer.owner,
                    competitor=competitor,
                    value=value(rng.uniform(3, 8)),
                )
                for competitor in rated_competitors
            ]
    return ratings


def _second_opinions(rng, *, ratings: list[Rating], rater) -> list[Rating]:
    """A team member re-rates the attractiveness of the largest accounts, not always agreeing."""
    shown = [r for r in ratings if r.factor.axis == Axis.ATTRACTIVENESS and r.competitor is None]
    keep = {c for c in sorted({r.customer_id for r in shown}) if rng.random() < 0.3}
    return [
        Rating(
            round=r.round,
            customer=r.customer,
            factor=r.factor,
            rater=rater,
            value=Decimal(
                str(float(np.clip(float(r.value) + rng.choice([-3, -1, 0, 0, 1, 2]), 0, 10)))
            ),
        )
        for r in shown
        if r.customer_id in keep
    ]


# How last year's team saw a few of its largest accounts' attractiveness moving in three
# years, a shift of every factor's rating: some grow, some fade.
FORESIGHT_SHIFTS = [Decimal("1.5"), Decimal("-2"), Decimal("1"), Decimal("-1.5"), Decimal("0.5")]


def _foresight_agree(*, scoring_round, customers, ratings: list[Rating], user) -> None:
    """In its meeting, the team agrees where a few accounts will be in three years."""
    given = {(r.customer_id, r.factor_id): r.value for r in ratings if r.competitor is None}
    factors = list(scoring_round.factors.filter(axis=Axis.ATTRACTIVENESS))
    for customer, shift in zip(customers, FORESIGHT_SHIFTS, strict=False):
        for factor in factors:
            today = given.get((customer.pk, factor.pk))
            if today is not None:  # a factor the owner forgot stays open: no arrow then
                foresight_record(
                    scoring_round=scoring_round,
                    customer=customer,
                    factor=factor,
                    raw_value=str(min(max(today + shift, Decimal(0)), Decimal(10))),
                    user=user,
                )


def demo_rounds_create(rng, *, customers, competitors, revenue_rank, today: dt.date) -> int:
    """Last year's decided round, and this year's round in its meeting; the ratings written."""
    User = get_user_model()
    team = User.objects.filter(username="team").first()
    # The coordinator takes both rounds through their stages; without the sign-in users
    # (DEBUG off) a colleague who owns accounts stands in.
    lead = team or User.objects.get(username="sari")
    previous, previous_a, previous_s = _round_with_factors(
        name="Key account selection 2025",
        date=today - dt.timedelta(days=365),
        created_by=lead,
        foresight=True,  # last year's team also said where accounts would be in three years
    )
    current, current_a, current_s = _round_with_factors(
        name="Key account selection 2026", date=today, created_by=lead
    )
    coordinators = {
        scoring_round.pk: _coordinator_get(scoring_round=scoring_round, user=lead)
        for scoring_round in (previous, current)
    }
    common = {"customers": customers, "competitors": competitors, "revenue_rank": revenue_rank}
    previous_ratings = _owner_ratings(
        rng, scoring_round=previous, attractiveness=previous_a, strength=previous_s, **common
    )
    ratings = _owner_ratings(
        rng, scoring_round=current, attractiveness=current_a, strength=current_s, **common
    )
    if team is not None:
        ratings += _second_opinions(rng, ratings=ratings, rater=team)
        for username, team_role in (
            ("team", RoundMember.TeamRole.COORDINATOR),
            ("manager", RoundMember.TeamRole.RESOURCE_INVESTIGATOR),
            ("sari", RoundMember.TeamRole.MONITOR_EVALUATOR),
            ("budi", RoundMember.TeamRole.IMPLEMENTER),
        ):
            RoundMember.objects.get_or_create(
                round=current,
                user=User.objects.get(username=username),
                defaults={"team_role": team_role},
            )
    Rating.objects.bulk_create(previous_ratings + ratings, ignore_conflicts=True, batch_size=2000)
    for scoring_round in (previous, current):
        _advance(
            scoring_round=scoring_round,
            to_status=ScoringRound.Status.MEETING,
            user=coordinators[scoring_round.pk],
        )
    if previous.status == ScoringRound.Status.MEETING:
        # Last year's team selected its largest accounts as key; some have slipped since.
        largest = [c for c, rank in zip(customers, revenue_rank, strict=True) if rank >= 0.9]
        for customer in largest:
            decision_record(
                scoring_round=previous,
                customer=customer,
                choice=Decision.Choice.KEY,
                coverage=Decision.Coverage.FARMER,
                rationale="Large and growing; farmer assigned.",
                box="key",
                user=coordinators[previous.pk],
            )
        _foresight_agree(
            scoring_round=previous,
            customers=sorted(largest, key=lambda c: c.name),
            ratings=previous_ratings,
            user=coordinators[previous.pk],
        )
        _advance(
            scoring_round=previous,
            to_status=ScoringRound.Status.DECIDED,
            user=coordinators[previous.pk],
        )
    return len(previous_ratings) + len(ratings)
