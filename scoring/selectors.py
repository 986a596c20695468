"""Reads of selection rounds and their factors."""

from .models import Axis, ScoringRound


def round_count() -> int:
    return ScoringRound.objects.count()


def round_list():
    return ScoringRound.objects.all()


def round_get(*, pk: int) -> ScoringRound:
    return ScoringRound.objects.get(pk=pk)


def round_factors(*, scoring_round: ScoringRound) -> dict[str, list]:
    factors = list(scoring_round.factors.all())
    return {
        axis: [factor for factor in factors if factor.axis == axis]
        for axis in (Axis.ATTRACTIVENESS, Axis.STRENGTH)
    }
