"""The KAISM matrix engine: plain numpy over arrays of ratings; no Django, no database.

Shapes: N accounts, Fa attractiveness factors, Fs strength factors, C competitors.
A missing rating is NaN. Weights on each axis add up to 100 and ratings run 0 to 10, so
every weighted score is on the 0-10 scale of the ratings. One module per step of the
method; callers use `from scoring import engine` and the names below.
"""

from .derived import banded_ratings, percentile_ratings
from .placement import (
    MatrixResult,
    matrix_compute,
    matrix_expected,
    matrix_rescore,
    near_cutoffs,
)
from .raters import rater_calibration, rating_spread
from .scores import (
    BOXES,
    KEY,
    KEY_DEVELOPMENT,
    MAINTENANCE,
    NOT_PLACED,
    OPPORTUNISTIC,
    PARITY,
    best_competitor,
    boxes,
    contributions,
    relative_strength,
    weighted_score,
)
from .sensitivity import (
    PURE_CONSIDERATIONS,
    REALISTIC_CONSIDERATIONS,
    box_changes,
    realistic_share,
    sensitivity_weights,
)

__all__ = [
    "BOXES",
    "KEY",
    "KEY_DEVELOPMENT",
    "MAINTENANCE",
    "NOT_PLACED",
    "OPPORTUNISTIC",
    "PARITY",
    "PURE_CONSIDERATIONS",
    "REALISTIC_CONSIDERATIONS",
    "MatrixResult",
    "banded_ratings",
    "best_competitor",
    "box_changes",
    "boxes",
    "contributions",
    "matrix_compute",
    "matrix_expected",
    "matrix_rescore",
    "near_cutoffs",
    "percentile_ratings",
    "rater_calibration",
    "rating_spread",
    "realistic_share",
    "relative_strength",
    "sensitivity_weights",
    "weighted_score",
]
