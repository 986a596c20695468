"""The demo's NPS survey answers: most of the decided key accounts answered in each of the
last four quarters, a few with fewer answers than the guard asks, and a few unhappy ones."""

import datetime as dt

import numpy as np

from planning.models import NpsAnswer
from scoring.models import Decision
from scoring.selectors import decisions_latest_decided

FIRST_NAMES = ("Ani", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hadi", "Indah", "Joko")
# Scores an account's respondents give, by its mood: happy, lukewarm, unhappy.
MOODS = {
    "happy": [10, 10, 9, 9, 9, 8, 8, 7],
    "lukewarm": [10, 9, 8, 8, 7, 7, 6, 5],
    "unhappy": [9, 7, 6, 6, 5, 4, 3, 2],
}
KEY_CHOICES = (Decision.Choice.KEY, Decision.Choice.KEY_DEVELOPMENT)


def demo_nps_answers_create(*, today: dt.date) -> int:
    """Answers for the decided key accounts (its own random seed, so the rest of the demo
    draws what it drew before); seeding twice adds nothing. Returns the answers written."""
    rng = np.random.default_rng(20261203)
    keys = sorted(
        customer_id
        for customer_id, decision in decisions_latest_decided().items()
        if decision.choice in KEY_CHOICES
    )
    answers = []
    for position, customer_id in enumerate(keys):
        if position % 6 == 5:  # every sixth key account sent no survey back
            continue
        mood = ("happy", "lukewarm", "happy", "unhappy")[position % 4]
        for quarters_back in range(4):
            # Every fifth account has a quarter under the small-sample guard.
            count = 3 if (position % 5 == 0 and quarters_back == 0) else int(rng.integers(5, 9))
            day = today - dt.timedelta(days=91 * quarters_back + int(rng.integers(1, 60)))
            for index in range(count):
                answers.append(
                    NpsAnswer(
                        customer_id=customer_id,
                        respondent=f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {index // 10 + 1}",
                        answered_on=day,
                        score=int(rng.choice(MOODS[mood])),
                    )
                )
    NpsAnswer.objects.bulk_create(answers, ignore_conflicts=True, batch_size=2000)
    return len(answers)
