"""The demo's NPS answers: most key accounts answered, some under the guard, some at risk."""

import pytest

from demo.services import demo_company_seed
from planning.models import NpsAnswer
from planning.selectors import nps_latest
from scoring.models import Decision
from scoring.selectors import decisions_latest_decided

pytestmark = pytest.mark.django_db


def test_most_key_accounts_have_answers_some_too_few_and_some_at_risk(seeded):
    keys = {
        pk
        for pk, decision in decisions_latest_decided().items()
        if decision.choice in (Decision.Choice.KEY, Decision.Choice.KEY_DEVELOPMENT)
    }
    latest = nps_latest()
    assert set(latest) <= keys
    assert len(latest) >= 0.75 * len(keys)
    assert any(period.result.too_few for period in latest.values())
    assert any(period.at_risk for period in latest.values())
    assert any(
        period.result.score is not None and period.result.score > 30 for period in latest.values()
    )


def test_seeding_the_answers_again_adds_nothing(seeded):
    before = NpsAnswer.objects.count()
    assert before > 100
    demo_company_seed(create_logins=True)
    assert NpsAnswer.objects.count() == before
