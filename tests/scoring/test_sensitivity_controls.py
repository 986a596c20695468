"""The sensitivity controls: refused values say which control and its range; the chart
rings the accounts that change box."""

from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.forms import SensitivityForm
from scoring.models import ScoringRound
from tests.fixtures.rounds import stage_set

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"a_cut": "15"}, "a_cut", "Attractiveness cut-off must be a number from 0 to 10."),
        ({"a_cut": "-3"}, "a_cut", "Attractiveness cut-off must be a number from 0 to 10."),
        ({"s_cut": "10.01"}, "s_cut", "Relative strength cut-off must be a number from 0 to 10."),
        ({"s_cut": "1e1"}, "s_cut", "Relative strength cut-off must be a number from 0 to 10."),
        ({"share": "101"}, "share", "Weight on realistic factors must be a number from 0 to 100."),
        ({"share": "abc"}, "share", "Weight on realistic factors must be a number from 0 to 100."),
    ],
)
def test_a_value_outside_its_range_is_refused_naming_the_control(data, field, message):
    form = SensitivityForm(data)
    assert not form.is_valid()
    assert form.errors == {field: [message]}
    assert form.values()[field] is None


@pytest.mark.parametrize(
    ("data", "values"),
    [
        ({}, {"share": None, "a_cut": None, "s_cut": None}),
        ({"a_cut": "0", "s_cut": "10"}, {"share": None, "a_cut": 0.0, "s_cut": 10.0}),
        ({"share": "100", "a_cut": "5.5"}, {"share": 100.0, "a_cut": 5.5, "s_cut": None}),
    ],
)
def test_values_at_the_edges_and_blanks_are_accepted(data, values):
    form = SensitivityForm(data)
    assert form.is_valid(), form.errors
    assert form.values() == values


def test_a_refused_cutoff_shows_its_message_and_keeps_the_rounds_cutoff(client, team_round):
    r = team_round
    stage_set(r, "meeting")
    client.force_login(r.coordinator)
    url = reverse("scoring:round_sensitivity", args=[r.round.pk])
    page = client.get(url, {"a_cut": "15"})
    content = page.content.decode()
    assert "Attractiveness cut-off must be a number from 0 to 10." in content
    assert "The chart uses the round’s cut-off, 5." in content.replace("&#x27;", "’").replace(
        "'", "’"
    )
    assert page.context["sensitivity"].attractiveness_cutoff == 5.0  # not clamped to 10
    assert 'value="15"' in content and 'aria-invalid="true"' in content
    # Through htmx the message replaces the form's, out of band, beside the new body.
    partial = client.get(url, {"a_cut": "-3"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="sensitivity-body"')
    assert (
        'id="sensitivity-errors" class="control-errors" role="alert" hx-swap-oob="true"' in partial
    )
    assert "Attractiveness cut-off must be a number from 0 to 10." in partial
    valid = client.get(url, {"a_cut": "7"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-swap-oob="true"' in valid and "must be a number" not in valid


def test_adopting_a_refused_cutoff_saves_nothing_and_says_why(client, team_round):
    r = team_round
    stage_set(r, "meeting")
    client.force_login(r.coordinator)
    page = client.get(reverse("scoring:round_sensitivity", args=[r.round.pk]))
    answer = client.post(
        reverse("scoring:round_adopt", args=[r.round.pk]),
        {"share": "40", "a_cut": "15", "s_cut": "5", "version": page.context["factors_version"]},
        follow=True,
    )
    assert "Attractiveness cut-off must be a number from 0 to 10." in answer.content.decode()
    assert ScoringRound.objects.get(pk=r.round.pk).attractiveness_cutoff == Decimal("5")


def test_the_chart_rings_the_accounts_that_change_box(client, team_round):
    """Alpha's Size is rated 9 and 5 (mean 7), its Openness 5: 0.6×7 + 0.4×5 = 6.2, in Key
    at the cut-off of 5 and out of it at 7; Beta is unrated and never drawn."""
    r = team_round
    stage_set(r, "meeting")
    client.force_login(r.coordinator)
    url = reverse("scoring:round_sensitivity", args=[r.round.pk])
    context = client.get(url, {"a_cut": "7"}).context
    (ringed,) = [t for t in context["figure"]["data"] if t["name"] == "Changes box"]
    assert (
        ringed["text"] == [r.mine.name] == [a.name for a, *_boxes in context["sensitivity"].changes]
    )
    assert ringed["y"] == [pytest.approx(0.6 * 7 + 0.4 * 5)]
    assert ringed["marker"]["symbol"] == "circle-open"
    # Nothing changes box at the round's own cut-offs: no ringed trace at all.
    figure = client.get(url).context["figure"]
    assert [t for t in figure["data"] if t["name"] == "Changes box"] == []
