"""Blind scoring: before the meeting, nothing answers with a pooled score, even indirectly.

The attack this guards against: during scoring the coordinator moves the attractiveness
cut-off (sensitivity adoption) and posts a decision, whose refused form used to pre-select
the box computed from everyone's ratings; ten such requests bisect a hidden rating.
"""

from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from scoring.models import Decision, Rating, RoundMember, ScoringRound
from tests.factories import UserFactory
from tests.fixtures.rounds import stage_set

pytestmark = pytest.mark.django_db

# The manager's ratings of Alpha, hidden from the coordinator until the meeting, each set
# placing Alpha in another box (attractiveness from Size 60 / Openness 40; strength vs Rival).
HIDDEN = {
    "key": {"a1": 9, "a2": 5, "s1": 8, "s2": 6},
    "opportunistic": {"a1": 0, "a2": 1, "s1": 1, "s2": 0},
    "near the cut-off": {"a1": 5, "a2": 4.95, "s1": 5, "s2": 5},
}


@pytest.fixture
def blind(rated_round, team_user):
    r = rated_round
    RoundMember.objects.create(round=r.round, user=team_user, team_role="coordinator")
    stage_set(r, ScoringRound.Status.SCORING)
    return r


def _hide(r, ratings: dict) -> None:
    for name, value in ratings.items():
        Rating.objects.filter(
            round=r.round, customer=r.mine, factor=getattr(r, name), competitor=None
        ).update(value=Decimal(str(value)))


def _decide(client, r, choice="", coverage=""):
    return client.post(
        reverse("scoring:decision_save", args=[r.round.pk, r.mine.pk]),
        {"choice": choice, "coverage": coverage, "rationale": ""},
        HTTP_HX_REQUEST="true",
    )


def _adopt(client, r, a_cut):
    return client.post(
        reverse("scoring:round_adopt", args=[r.round.pk]),
        {"share": "40", "a_cut": a_cut, "s_cut": "5", "version": "any"},
    )


def _answer(response) -> tuple:
    return response.status_code, response.get("Location"), response.content


@pytest.mark.parametrize("stage", [ScoringRound.Status.DRAFT, ScoringRound.Status.SCORING])
@pytest.mark.parametrize("choice", ["", "key", "opportunistic"])
def test_a_refused_decision_is_byte_identical_whatever_the_hidden_ratings(
    client, blind, team_user, stage, choice
):
    r = blind
    stage_set(r, stage)
    client.force_login(team_user)
    answers = set()
    for ratings in HIDDEN.values():
        _hide(r, ratings)
        response = _decide(client, r, choice)
        assert response.status_code == 422
        answers.add(_answer(response))
    assert len(answers) == 1
    (answer,) = answers
    assert b"Decisions are recorded in the meeting." in answer[2]
    assert b"selected" not in answer[2] and b"<form" not in answer[2]
    assert not Decision.objects.exists()


def test_a_decision_by_someone_else_than_the_coordinator_is_refused_identically(client, blind):
    r = blind
    outsider = UserFactory(username="outsider", role="selection_team")
    client.force_login(outsider)
    answers = set()
    for ratings in HIDDEN.values():
        _hide(r, ratings)
        response = _decide(client, r, "key")
        assert response.status_code == 403
        answers.add(_answer(response))
    assert len(answers) == 1


def test_cutoffs_cannot_be_adopted_during_scoring_and_the_refusal_tells_nothing(
    client, blind, team_user
):
    r = blind
    client.force_login(team_user)
    answers = set()
    for ratings in HIDDEN.values():
        _hide(r, ratings)
        for a_cut in ("2.5", "5", "7.5"):
            answers.add(_answer(_adopt(client, r, a_cut)))
    assert len(answers) == 1
    (answer,) = answers
    assert answer[:2] == (302, reverse("scoring:round_sensitivity", args=[r.round.pk]))
    r.round.refresh_from_db()
    assert r.round.attractiveness_cutoff == Decimal(5)
    page = client.get(reverse("scoring:round_sensitivity", args=[r.round.pk])).content.decode()
    assert "Weights and cut-offs are adopted in the meeting" in page
    assert 'action="/rounds/' + str(r.round.pk) + '/sensitivity/adopt/"' not in page


def test_refusals_come_before_anything_is_computed(client, blind, team_user):
    r = blind
    client.force_login(team_user)
    computed = AssertionError("the matrix was computed for a refused request")
    with (
        mock.patch("scoring.views.meeting.round_matrix_seen_by", side_effect=computed),
        mock.patch("scoring.views.sensitivity.round_matrix", side_effect=computed),
    ):
        assert _decide(client, r, "key").status_code == 422
        assert _adopt(client, r, "5").status_code == 302


def test_in_the_meeting_the_decision_form_suggests_the_pooled_box(client, blind, team_user):
    r = blind
    _hide(r, HIDDEN["opportunistic"])
    stage_set(r, ScoringRound.Status.MEETING)
    client.force_login(team_user)
    response = _decide(client, r, "")  # no choice: refused, with the box as the suggestion
    assert response.status_code == 422
    assert '<option value="opportunistic" selected>' in response.content.decode()
    response = _decide(client, r, "opportunistic", "milk_round")
    assert response.status_code == 200
    assert Decision.objects.get().box_at_decision == "opportunistic"
