"""The selection team's round: stages, blind scoring, consensus, decisions, sensitivity,
review against the previous round, and the meeting pack."""

import io
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from scoring import engine
from scoring.models import Consensus, Decision, Factor, Rating, ScoringRound
from scoring.selectors import (
    round_calibration,
    round_disagreement,
    round_matrix,
    round_pending_for_user,
    round_sensitivity,
)
from scoring.services import (
    consensus_record,
    decision_record,
    round_adopt_weights,
    round_member_set,
    round_transition,
)
from tests.factories import RatingFactory, UserFactory
from tests.fixtures.rounds import record, stage_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(team_round):
    return team_round


def _agree_size_at_8(r):
    consensus_record(
        scoring_round=r.round,
        customer=r.mine,
        factor=r.a1,
        competitor=None,
        raw_value="8",
        user=r.coordinator,
    )


def _decide(r, *, choice="key", coverage="farmer", rationale=""):
    """The coordinator decides on Alpha, which sits in the key box."""
    return decision_record(
        scoring_round=r.round,
        customer=r.mine,
        choice=choice,
        coverage=coverage,
        rationale=rationale,
        box="key",
        user=r.coordinator,
    )


# --- Stages ------------------------------------------------------------------------------
def test_coordinator_moves_the_round_through_its_stages(team):
    r = team
    for status in ("meeting", "decided", "archived"):
        round_transition(scoring_round=r.round, to_status=status, user=r.coordinator)
        assert ScoringRound.objects.get(pk=r.round.pk).status == status


def test_a_stage_cannot_be_skipped(team):
    with pytest.raises(ValidationError, match="cannot go from"):
        round_transition(scoring_round=team.round, to_status="decided", user=team.coordinator)


@pytest.mark.parametrize(
    ("axis", "named"),
    [("strength", "Relative strength"), ("attractiveness", "Customer attractiveness")],
)
def test_scoring_cannot_start_without_factors_on_both_axes(team, axis, named):
    r = team
    stage_set(r, "draft")
    Factor.objects.filter(round=r.round, axis=axis).delete()
    with pytest.raises(ValidationError, match=f"no factor on the {named} axis") as refused:
        round_transition(scoring_round=r.round, to_status="scoring", user=r.coordinator)
    assert refused.value.error_list[0].code == "no_axis_factors"
    assert ScoringRound.objects.get(pk=r.round.pk).status == "draft"


def test_scoring_starts_with_factors_on_both_axes(team):
    r = team
    stage_set(r, "draft")
    round_transition(scoring_round=r.round, to_status="scoring", user=r.coordinator)
    assert ScoringRound.objects.get(pk=r.round.pk).status == "scoring"


def test_only_the_coordinator_moves_the_round(team):
    with pytest.raises(PermissionDenied):
        round_transition(scoring_round=team.round, to_status="meeting", user=team.member)


def test_a_decided_round_refuses_every_write(team):
    r = team
    stage_set(r, "decided")
    writes = [
        lambda: record(r, "1"),
        lambda: consensus_record(
            scoring_round=r.round,
            customer=r.mine,
            factor=r.a1,
            competitor=None,
            raw_value="5",
            user=r.coordinator,
        ),
        lambda: decision_record(
            scoring_round=r.round,
            customer=r.mine,
            choice="key",
            coverage="farmer",
            rationale="",
            box="key",
            user=r.coordinator,
        ),
        lambda: round_adopt_weights(
            scoring_round=r.round,
            weights={r.a1.pk: 50, r.a2.pk: 50},
            cutoffs=None,
            user=r.coordinator,
        ),
        lambda: round_member_set(
            scoring_round=r.round,
            member=r.rater,
            team_role="implementer",
            user=r.coordinator,
        ),
    ]
    for write in writes:
        with pytest.raises(ValidationError, match="decided"):
            write()
    assert Rating.objects.get(factor=r.a1, customer=r.mine, rater=r.rater).value == 9
    assert not Consensus.objects.exists() and not Decision.objects.exists()
    assert Factor.objects.get(pk=r.a1.pk).weight == 60


def test_draft_round_takes_no_ratings(team):
    r = team
    stage_set(r, "draft")
    with pytest.raises(ValidationError, match="draft"):
        record(r, "1")


# --- Blind scoring -----------------------------------------------------------------------
def test_blind_scoring_hides_other_raters_on_every_page_and_export(client, team):
    r = team
    client.force_login(r.member)
    matrix_page = client.get(reverse("scoring:round_detail", args=[r.round.pk]))
    # The member rated only Size: they see their own 5, not the manager's ratings.
    assert matrix_page.context["figure"]["data"] == []
    account = client.get(reverse("scoring:round_account", args=[r.round.pk, r.mine.pk]))
    assert account.context["position"].attractiveness_ratings == [5.0, None]
    csv_export = client.get(reverse("scoring:round_export_csv", args=[r.round.pk])).content.decode()
    assert ",9.0," not in csv_export
    pack = load_workbook(
        io.BytesIO(client.get(reverse("scoring:round_pack", args=[r.round.pk])).content)
    )
    assert {row[5] for row in list(pack["Ratings"].values)[1:]} == {"member"}
    for name in ("round_disagreement", "round_meeting", "round_decisions", "round_review"):
        name = f"scoring:{name}"
        assert client.get(reverse(name, args=[r.round.pk])).status_code == 403, name


def test_the_meeting_reveals_everyones_ratings(client, team):
    r = team
    stage_set(r, "meeting")
    client.force_login(r.member)
    account = client.get(reverse("scoring:round_account", args=[r.round.pk, r.mine.pk]))
    # Size is the mean of 9 and 5.
    assert account.context["position"].attractiveness_ratings == [7.0, 5.0]


# --- Disagreement, calibration, consensus -------------------------------------------------
def test_disagreement_lists_cells_rated_by_several_people_with_their_spread(team):
    r = team
    member2 = UserFactory(username="member2")
    RatingFactory(round=r.round, factor=r.a2, customer=r.mine, rater=member2, value=Decimal("4"))
    cells = round_disagreement(scoring_round=r.round)
    # Size: 9 and 5 → std 2, spread 4; Openness: 5 and 4 → std 0.5; the widest first.
    assert [(c.factor.name, c.low, c.high, c.std, c.median) for c in cells] == [
        ("Size", 5.0, 9.0, 2.0, 7.0),
        ("Openness", 4.0, 5.0, 0.5, 4.5),
    ]
    assert cells[0].ratings == [("manager-t", 9.0), ("member", 5.0)]
    assert cells[0].suggestion == 7.0


def test_disagreement_page_shows_the_most_disputed_cells_and_the_rest_on_request(
    client, team, monkeypatch
):
    from scoring.views import meeting

    r = team
    stage_set(r, "meeting")
    # Three cells rated by two people: Size (9, 5) spread 4, Openness (5, 4) spread 1,
    # Quality (8, 1) spread 7; cells rated by one person (Delivery, Rival's) are none.
    RatingFactory(round=r.round, factor=r.a2, customer=r.mine, rater=r.member, value=Decimal(4))
    RatingFactory(round=r.round, factor=r.s1, customer=r.mine, rater=r.member, value=Decimal(1))
    monkeypatch.setattr(meeting, "DISAGREEMENT_SHOWN", 2)
    monkeypatch.setattr(meeting, "DISAGREEMENT_LISTED", 2 + 1)
    client.force_login(r.coordinator)
    url = reverse("scoring:round_disagreement", args=[r.round.pk])
    page = client.get(url)
    assert [c.factor.name for c in page.context["cells"]] == ["Quality", "Size"]
    assert page.context["cells_total"] == 3
    html = page.content.decode()
    assert "Showing 2 of 3 cells rated by two or more people." in html
    assert 'href="?all=1">Show the first 3</a>' in html
    everything = client.get(url, {"all": "1"})
    assert [c.factor.name for c in everything.context["cells"]] == ["Quality", "Size", "Openness"]
    assert "Showing" not in everything.content.decode()
    monkeypatch.setattr(meeting, "DISAGREEMENT_LISTED", 2)
    capped = client.get(url, {"all": "1"}).content.decode()
    assert "Showing 2 of 3 cells" in capped
    assert 'href="?all=1"' not in capped


def test_calibration_shows_the_higher_and_lower_rater(team):
    rows = round_calibration(scoring_round=team.round)
    assert [(row["rater"].username, row["bias"], row["cells"]) for row in rows] == [
        ("manager-t", 2.0, 1),
        ("member", -2.0, 1),
    ]


def test_consensus_replaces_the_mean_in_the_matrix(team):
    r = team
    stage_set(r, "meeting")
    _agree_size_at_8(r)
    position = round_matrix(scoring_round=r.round).by_customer()[r.mine.pk]
    # 0.6×8 + 0.4×5 = 6.8 (the mean of 9 and 5 would give 6.2)
    assert position.attractiveness == pytest.approx(6.8)


def test_only_the_coordinator_records_consensus_and_only_in_the_meeting(team):
    r = team
    with pytest.raises(ValidationError, match="meeting"):
        consensus_record(
            scoring_round=r.round,
            customer=r.mine,
            factor=r.a1,
            competitor=None,
            raw_value="8",
            user=r.coordinator,
        )
    stage_set(r, "meeting")
    with pytest.raises(PermissionDenied):
        consensus_record(
            scoring_round=r.round,
            customer=r.mine,
            factor=r.a1,
            competitor=None,
            raw_value="8",
            user=r.member,
        )
    assert not Consensus.objects.exists()


def test_consensus_endpoint_refuses_out_of_range_values(client, team):
    r = team
    stage_set(r, "meeting")
    client.force_login(r.coordinator)
    response = client.post(
        reverse("scoring:consensus_save", args=[r.round.pk]),
        {"customer": r.mine.pk, "factor": r.a1.pk, "value": "10.5"},
    )
    assert response.status_code == 422
    assert "out of range" in response.content.decode()
    assert not Consensus.objects.exists()


# --- Decisions ---------------------------------------------------------------------------
def test_decision_that_differs_from_the_box_needs_a_rationale(team):
    r = team
    stage_set(r, "meeting")
    with pytest.raises(ValidationError, match="Say why"):
        _decide(r, choice="deselected", coverage="milk_round", rationale=" ")
    decision = _decide(r)
    assert decision.decided_by == r.coordinator
    assert decision.box_at_decision == "key"


def test_a_rationale_longer_than_the_limit_is_refused(team):
    from accounts.models import LONG_TEXT_MAX

    r = team
    stage_set(r, "meeting")
    with pytest.raises(ValidationError) as error:
        _decide(r, choice="deselected", coverage="milk_round", rationale="x" * (LONG_TEXT_MAX + 1))
    assert "rationale" in error.value.message_dict
    assert not Decision.objects.exists()
    assert _decide(r, rationale="x" * LONG_TEXT_MAX).rationale == "x" * LONG_TEXT_MAX


def test_decisions_page_warns_above_the_key_account_limit(client, team):
    from accounts.models import CompanySettings
    from tests.factories import CustomerFactory

    r = team
    stage_set(r, "meeting")
    settings = CompanySettings.load()
    settings.key_account_limit = 2
    settings.save()
    for customer in [r.mine, r.other, *CustomerFactory.create_batch(1)]:
        Decision.objects.create(round=r.round, customer=customer, choice="key", coverage="farmer")
    client.force_login(r.coordinator)
    response = client.get(reverse("scoring:round_decisions", args=[r.round.pk]))
    assert response.context["key_count"] == 3
    assert "More than 2" in response.content.decode()


def test_decision_endpoint_records_and_refuses_in_place(client, team):
    r = team
    stage_set(r, "meeting")
    client.force_login(r.coordinator)
    url = reverse("scoring:decision_save", args=[r.round.pk, r.mine.pk])
    refused = client.post(url, {"choice": "deselected", "coverage": "milk_round", "rationale": ""})
    assert refused.status_code == 422
    accepted = client.post(
        url, {"choice": "deselected", "coverage": "milk_round", "rationale": "Pays late"}
    )
    assert accepted.status_code == 200
    assert Decision.objects.get().rationale == "Pays late"


def test_a_decision_refused_in_scoring_suggests_no_box_from_others_ratings(client, team):
    """Beta is rated by the member alone (all 9s: key). The coordinator's refused decision
    form must not suggest that box: it comes from someone else's blind ratings."""
    r = team
    for factor in (r.a1, r.a2, r.s1, r.s2):
        RatingFactory(round=r.round, factor=factor, customer=r.other, rater=r.member, value=9)
    client.force_login(r.coordinator)
    url = reverse("scoring:decision_save", args=[r.round.pk, r.other.pk])
    refused = client.post(url, {"choice": "", "coverage": "", "rationale": ""})
    assert refused.status_code == 422
    assert "Decisions are recorded in the meeting." in refused.content.decode()
    # Refused before anything is computed: no form, so no suggested box at all.
    assert "position" not in (refused.context or {})
    assert '<option value="key"' not in refused.content.decode()
    stage_set(r, "meeting")
    shown = client.post(url, {"choice": "", "coverage": "", "rationale": ""})
    assert shown.context["position"].box == "key"
    assert '<option value="key" selected>' in shown.content.decode()


# --- Sensitivity -------------------------------------------------------------------------
def test_sensitivity_matches_the_engine_and_saves_nothing(team):
    r = team
    stage_set(r, "meeting")
    matrix = round_matrix(scoring_round=r.round)
    # Size (pure 60) and Openness (success 40): share 0.8 → Size 20, Openness 80.
    # Alpha: Size 7 (mean), Openness 5 → 0.2×7 + 0.8×5 = 5.4
    sensitivity = round_sensitivity(matrix=matrix, share=0.8)
    assert sensitivity.weights == {r.a1.pk: pytest.approx(20), r.a2.pk: pytest.approx(80)}
    row = [c.pk for c in matrix.customers].index(r.mine.pk)
    expected = engine.weighted_score(matrix.attractiveness_ratings, np.array([20.0, 80.0]))
    assert sensitivity.attractiveness[row] == pytest.approx(expected[row]) == pytest.approx(5.4)
    assert Factor.objects.get(pk=r.a1.pk).weight == 60


def test_raising_the_cutoff_lists_the_accounts_that_change_box(team):
    r = team
    stage_set(r, "meeting")
    matrix = round_matrix(scoring_round=r.round)
    sensitivity = round_sensitivity(matrix=matrix, share=None, attractiveness_cutoff=7)
    assert [(a.pk, before, after) for a, before, after in sensitivity.changes] == [
        (r.mine.pk, engine.KEY, engine.MAINTENANCE)
    ]


def test_adopting_weights_keeps_each_axis_at_100(client, team):
    r = team
    stage_set(r, "meeting")
    client.force_login(r.coordinator)
    page = client.get(reverse("scoring:round_sensitivity", args=[r.round.pk]))
    client.post(
        reverse("scoring:round_adopt", args=[r.round.pk]),
        {"share": "33.3", "a_cut": "5.5", "s_cut": "5", "version": page.context["factors_version"]},
    )
    weights = {f.name: f.weight for f in r.round.factors.filter(axis="attractiveness")}
    assert weights == {"Size": Decimal("66.70"), "Openness": Decimal("33.30")}
    assert sum(weights.values()) == 100
    r.round.refresh_from_db()
    assert r.round.attractiveness_cutoff == Decimal("5.5")


def test_sensitivity_page_updates_through_htmx(client, team):
    r = team
    stage_set(r, "meeting")
    client.force_login(r.coordinator)
    response = client.get(
        reverse("scoring:round_sensitivity", args=[r.round.pk]),
        {"a_cut": "7"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="sensitivity-body"')
    assert "1 account changes box" in content


# --- Pack, images, notifications ------------------------------------------------------------
def test_meeting_pack_has_one_sheet_per_part(client, team):
    r = team
    stage_set(r, "meeting")
    _agree_size_at_8(r)
    _decide(r)
    client.force_login(r.coordinator)
    pack = load_workbook(
        io.BytesIO(client.get(reverse("scoring:round_pack", args=[r.round.pk])).content)
    )
    assert pack.sheetnames == ["Summary", "Matrix", "Scores", "Ratings", "Consensus", "Decisions"]
    assert list(pack["Consensus"].values)[1][4] == 8
    assert list(pack["Decisions"].values)[1][3] == "Selected as key account"
    assert len(list(pack["Ratings"].values)) == 1 + 7


@pytest.mark.parametrize(("image_format", "signature"), [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_matrix_image_export(client, team, image_format, signature):
    client.force_login(team.coordinator)
    response = client.get(reverse("scoring:round_image", args=[team.round.pk, image_format]))
    assert response.status_code == 200
    assert response.content.startswith(signature)


def test_unknown_image_format_is_not_found(client, team):
    client.force_login(team.coordinator)
    assert (
        client.get(reverse("scoring:round_image", args=[team.round.pk, "gif"])).status_code == 404
    )


def test_members_see_rounds_waiting_for_their_ratings(team):
    r = team
    # The manager owns Alpha: 2 attractiveness + 2 strength × (us + 1 competitor) = 6 cells,
    # all rated.
    assert round_pending_for_user(user=r.rater) == []
    # The member rates all 2 accounts: 12 cells, 1 rated.
    (pending,) = round_pending_for_user(user=r.member)
    assert (pending["left"], pending["expected"]) == (11, 12)


def test_consensus_decisions_and_members_are_in_the_rounds_history(team):
    from scoring.selectors import round_history

    r = team
    stage_set(r, "meeting")
    _agree_size_at_8(r)
    _decide(r)
    round_member_set(
        scoring_round=r.round, member=r.rater, team_role="implementer", user=r.coordinator
    )
    subjects = {row.subject for row in round_history(scoring_round=r.round, reader=r.coordinator)}
    assert {"consensus", "decision", "round member"} <= subjects
    account = {
        row.subject
        for row in round_history(scoring_round=r.round, reader=r.coordinator, customer=r.mine)
    }
    assert {"consensus", "decision"} <= account
