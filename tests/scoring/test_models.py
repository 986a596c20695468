"""Rules that depend only on a round's own stage: locked, revealed, open for ratings."""

import pytest

from scoring.models import ScoringRound

Status = ScoringRound.Status


@pytest.mark.parametrize(
    ("status", "locked", "revealed", "accepts_ratings"),
    [
        (Status.DRAFT, False, False, False),
        (Status.SCORING, False, False, True),
        (Status.MEETING, False, True, True),
        (Status.DECIDED, True, True, False),
        (Status.ARCHIVED, True, True, False),
    ],
)
def test_a_rounds_stage_decides_what_it_allows(status, locked, revealed, accepts_ratings):
    scoring_round = ScoringRound(name="R", status=status)
    assert scoring_round.is_locked is locked
    assert scoring_round.ratings_revealed is revealed
    assert scoring_round.accepts_ratings is accepts_ratings
    assert scoring_round.in_meeting is (status == Status.MEETING)
