"""Writes for selection rounds, one module per sub-domain; callers import from here."""

from .derived import derived_ratings_refresh
from .factors import (
    adoption_check_allowed,
    factor_set_save,
    factor_set_version,
    round_adopt_weights,
    weights_check,
)
from .foresight import foresight_record, round_foresight_set
from .meeting import DECISION_BOX, consensus_record, decision_check_allowed, decision_record
from .ratings import cell_check, rating_parse, rating_record
from .rounds import (
    STAGE_FLOW,
    round_check_axes,
    round_check_open,
    round_create,
    round_member_set,
    round_transition,
)

__all__ = [
    "DECISION_BOX",
    "STAGE_FLOW",
    "adoption_check_allowed",
    "cell_check",
    "consensus_record",
    "decision_check_allowed",
    "decision_record",
    "derived_ratings_refresh",
    "factor_set_save",
    "factor_set_version",
    "foresight_record",
    "rating_parse",
    "rating_record",
    "round_adopt_weights",
    "round_check_axes",
    "round_check_open",
    "round_create",
    "round_foresight_set",
    "round_member_set",
    "round_transition",
    "weights_check",
]
