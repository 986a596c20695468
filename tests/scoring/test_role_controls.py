"""Controls a role cannot use are not offered: the team page's form and stage buttons, the
factor page's inputs, and the round tabs of the meeting's pages."""

import re

import pytest
from django.urls import reverse

from scoring.models import RoundMember, ScoringRound
from tests.fixtures.rounds import stage_set

pytestmark = pytest.mark.django_db


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _team_url(r):
    return reverse("scoring:round_team", args=[r.round.pk])


def test_a_manager_sees_the_team_but_no_form_or_stage_button(client, small_round):
    page = _page(client, small_round.rater, _team_url(small_round))
    assert "data-team-form" not in page
    assert reverse("scoring:round_stage", args=[small_round.round.pk]) not in page
    assert "The round's coordinator chooses its team." in page


def test_the_team_may_appoint_the_first_coordinator(client, small_round, team_user):
    page = _page(client, team_user, _team_url(small_round))
    assert "data-team-form" in page


def test_once_there_is_a_coordinator_only_they_change_the_team(
    client, small_round, team_user, django_user_model
):
    RoundMember.objects.create(round=small_round.round, user=team_user, team_role="coordinator")
    other = django_user_model.objects.create_user("team-2")
    other.groups.set(team_user.groups.all())
    assert "data-team-form" not in _page(client, other, _team_url(small_round))
    page = _page(client, team_user, _team_url(small_round))
    assert "data-team-form" in page
    assert reverse("scoring:round_stage", args=[small_round.round.pk]) in page


def test_a_locked_rounds_team_offers_no_form(client, small_round, admin_user):
    stage_set(small_round, ScoringRound.Status.DECIDED)
    page = _page(client, admin_user, _team_url(small_round))
    assert "data-team-form" not in page


def _factor_inputs(page) -> list[str]:
    return re.findall(
        r"<(?:input|select|textarea)\b[^>]*name=\"(?:strength|attractiveness)-\d[^>]*>", page
    )


def test_a_manager_reads_the_factors_without_inputs_to_change(client, small_round):
    page = _page(
        client, small_round.rater, reverse("scoring:factor_set", args=[small_round.round.pk])
    )
    inputs = [tag for tag in _factor_inputs(page) if 'type="hidden"' not in tag]
    assert inputs and all(" disabled" in tag for tag in inputs)
    assert "Save Strength factors" not in page and "data-add-factor" not in page
    assert "data-empty-form" not in page and "data-read-only" in page


def test_the_team_edits_the_factors(client, small_round, team_user):
    page = _page(client, team_user, reverse("scoring:factor_set", args=[small_round.round.pk]))
    inputs = [tag for tag in _factor_inputs(page) if 'type="hidden"' not in tag]
    assert inputs and not any(" disabled" in tag for tag in inputs)
    assert "data-add-factor" in page and "data-read-only" not in page


def test_a_locked_rounds_factors_are_read_only_for_the_team(client, small_round, team_user):
    stage_set(small_round, ScoringRound.Status.DECIDED)
    page = _page(client, team_user, reverse("scoring:factor_set", args=[small_round.round.pk]))
    inputs = [tag for tag in _factor_inputs(page) if 'type="hidden"' not in tag]
    assert inputs and all(" disabled" in tag for tag in inputs)
    assert "This round is locked: its factors can be read" in page


@pytest.mark.parametrize(
    "name", ["round_disagreement", "round_meeting", "round_decisions", "round_review", "round_pack"]
)
def test_the_meeting_tabs_are_offered_only_to_who_may_follow_it(
    client, small_round, team_user, name
):
    stage_set(small_round, ScoringRound.Status.MEETING)
    url = reverse(f"scoring:{name}", args=[small_round.round.pk])
    matrix = reverse("scoring:round_detail", args=[small_round.round.pk])
    assert f'href="{url}"' not in _page(client, small_round.rater, matrix)
    assert f'href="{url}"' in _page(client, team_user, matrix)
    # A sales manager who is a member of the round's team follows it.
    RoundMember.objects.create(
        round=small_round.round, user=small_round.rater, team_role="implementer"
    )
    assert f'href="{url}"' in _page(client, small_round.rater, matrix)
