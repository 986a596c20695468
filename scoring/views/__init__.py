"""Pages for selection rounds, one module per part of a round; `scoring/urls.py` routes here."""

from .account import round_account
from .exports import round_export_csv, round_image, round_pack
from .factors import factor_set, factor_weight_sum
from .grid import rating_grid, rating_save
from .meeting import (
    consensus_save,
    decision_save,
    foresight_save,
    round_decisions_view,
    round_disagreement_view,
    round_meeting,
    round_review_view,
)
from .rounds import round_detail, round_index, round_new
from .sensitivity import round_adopt, round_sensitivity_view
from .team import round_foresight_save, round_member_save, round_stage, round_team

__all__ = [
    "consensus_save",
    "decision_save",
    "factor_set",
    "factor_weight_sum",
    "foresight_save",
    "rating_grid",
    "rating_save",
    "round_account",
    "round_adopt",
    "round_decisions_view",
    "round_detail",
    "round_disagreement_view",
    "round_export_csv",
    "round_foresight_save",
    "round_image",
    "round_index",
    "round_meeting",
    "round_member_save",
    "round_new",
    "round_pack",
    "round_review_view",
    "round_sensitivity_view",
    "round_stage",
    "round_team",
]
