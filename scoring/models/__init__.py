"""Selection rounds, their weighted factors, and the ratings people give."""

from .cells import RoundCellsVersion
from .choices import (
    RATING_MAX,
    RATING_MIN,
    STRENGTH_METRICS,
    Axis,
    Consideration,
    Derivation,
    DerivedMetric,
)
from .decisions import Decision
from .factors import DerivedRating, Factor
from .foresight import ForesightRating
from .ratings import Consensus, Rating
from .rounds import BLIND_STATUSES, LOCKED_STATUSES, RATING_STATUSES, RoundMember, ScoringRound

__all__ = [
    "BLIND_STATUSES",
    "LOCKED_STATUSES",
    "RATING_MAX",
    "RATING_MIN",
    "RATING_STATUSES",
    "STRENGTH_METRICS",
    "Axis",
    "Consensus",
    "Consideration",
    "Decision",
    "Derivation",
    "DerivedMetric",
    "DerivedRating",
    "Factor",
    "ForesightRating",
    "Rating",
    "RoundCellsVersion",
    "RoundMember",
    "ScoringRound",
]
