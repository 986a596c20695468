"""The Net Promoter Score of a set of answers, exactly (no Django here).

NPS = % promoters (9-10) - % detractors (0-6), from -100 to 100, kept as a Fraction and
shown rounded to whole points (half away from zero). Fewer answers than the minimum give
no score at all: "too few answers".
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

PROMOTER_MIN = 9
DETRACTOR_MAX = 6


@dataclass(frozen=True)
class NpsResult:
    respondents: int
    promoters: int
    passives: int
    detractors: int
    score: Fraction | None  # None: fewer answers than the minimum

    @property
    def too_few(self) -> bool:
        return self.score is None

    @property
    def points(self) -> int | None:
        """The score in whole points, as shown."""
        if self.score is None:
            return None
        exact = Decimal(self.score.numerator) / Decimal(self.score.denominator)
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def nps_compute(scores: Iterable[int], *, min_respondents: int) -> NpsResult:
    scores = list(scores)
    promoters = sum(1 for score in scores if score >= PROMOTER_MIN)
    detractors = sum(1 for score in scores if score <= DETRACTOR_MAX)
    count = len(scores)
    score = None
    if count and count >= min_respondents:
        score = Fraction(100 * (promoters - detractors), count)
    return NpsResult(
        respondents=count,
        promoters=promoters,
        passives=count - promoters - detractors,
        detractors=detractors,
        score=score,
    )


def quarter_of(day: dt.date) -> tuple[int, int]:
    """The calendar quarter a day falls in: (year, 1 to 4)."""
    return day.year, (day.month - 1) // 3 + 1
