"""Reads of selection rounds, one module per sub-domain; callers import from here."""

from .grid import (
    GRID_PAGE_SIZE,
    account_owners,
    rater_cell_value,
    rating_grid_page,
    round_account_detail,
)
from .matrix import (
    AccountPosition,
    AccountRef,
    RoundMatrix,
    box_label_display,
    box_labels,
    matrix_subset,
    optional_float,
    round_matrix,
    round_matrix_seen_by,
)
from .meeting import (
    DisagreementCell,
    account_rating_rows,
    decision_form_values,
    meeting_order,
    meeting_step,
    rating_frame,
    round_calibration,
    round_disagreement,
    round_disagreement_page,
)
from .review import ReviewRow, round_review
from .rounds import (
    round_count,
    round_decisions,
    round_factors,
    round_history,
    round_list,
    round_pending_for_user,
    round_previous,
)
from .sensitivity import Sensitivity, round_sensitivity

__all__ = [
    "GRID_PAGE_SIZE",
    "AccountPosition",
    "AccountRef",
    "DisagreementCell",
    "ReviewRow",
    "RoundMatrix",
    "Sensitivity",
    "account_owners",
    "account_rating_rows",
    "box_label_display",
    "box_labels",
    "decision_form_values",
    "matrix_subset",
    "meeting_order",
    "meeting_step",
    "optional_float",
    "rater_cell_value",
    "rating_frame",
    "rating_grid_page",
    "round_account_detail",
    "round_calibration",
    "round_count",
    "round_decisions",
    "round_disagreement",
    "round_disagreement_page",
    "round_factors",
    "round_history",
    "round_list",
    "round_matrix",
    "round_matrix_seen_by",
    "round_pending_for_user",
    "round_previous",
    "round_review",
    "round_sensitivity",
]
