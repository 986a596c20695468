"""The meeting's agenda: which accounts need discussion, and stepping through a subset."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.urls import reverse

from accounts.models import Customer
from scoring import engine
from scoring.models import Consensus, Decision, Rating, ScoringRound
from scoring.selectors import (
    MeetingAgenda,
    account_rating_rows,
    meeting_agenda,
    meeting_cursor,
    round_matrix,
)
from tests.factories import (
    CompetitorFactory,
    CustomerFactory,
    RatingFactory,
    ScoringRoundFactory,
    UserFactory,
)
from tests.fixtures.rounds import stage_set

pytestmark = pytest.mark.django_db


# --- Near a cut-off, exactly -----------------------------------------------------------------
def _placed(attractiveness, us, rival, *, cutoff=5.0, counts=None, distance=0.5):
    """One account on two attractiveness factors (60/40) and two strength factors (50/50)."""
    result = engine.matrix_compute(
        attractiveness_ratings=np.array([attractiveness], dtype=float),
        attractiveness_weights=np.array([60.0, 40.0]),
        our_strength_ratings=np.array([us], dtype=float),
        competitor_strength_ratings=np.array([[rival]], dtype=float),
        strength_weights=np.array([50.0, 50.0]),
        attractiveness_cutoff=cutoff,
        strength_cutoff=cutoff,
        attractiveness_counts=None if counts is None else np.array([counts]),
    )
    near_a, near_s = engine.near_cutoffs(
        result, attractiveness_cutoff=cutoff, strength_cutoff=cutoff, distance=distance
    )
    return bool(near_a[0]), bool(near_s[0])


FAR = ([9, 9], [8, 8], [2, 2])  # attractiveness 9, relative strength 10 × 8 / 10 = 8


def test_an_attractiveness_exactly_half_a_point_from_the_cut_off_is_near():
    # 0.6 × 2 + 0.4 × 8 = 4.4, 0.5 above a cut-off of 3.9; in floats 4.4 − 3.9 = 0.5000000000000004.
    assert abs(4.4 - 3.9) > 0.5
    assert _placed([2, 8], [8, 8], [2, 2], cutoff=3.9) == (True, False)
    # 0.6 × 2.35 + 0.4 × 7.5 = 4.41: 0.51 away.
    assert _placed([2.35, 7.5], [8, 8], [2, 2], cutoff=3.9) == (False, False)
    # Below the cut-off too: 0.6 × 2 + 0.4 × 5.5 = 3.4.
    assert _placed([2, 5.5], [8, 8], [2, 2], cutoff=3.9) == (True, False)


def test_a_pooled_cell_is_near_by_its_exact_mean():
    # Three raters' 2, 2 and 5.6 on both factors: the mean is 3.2, exactly 0.5 below 3.7,
    # though in floats (2 + 2 + 5.6) / 3 = 3.1999999999999997.
    mean = (2 + 2 + 5.6) / 3
    assert abs(mean - 3.7) > 0.5
    assert _placed([mean, mean], [8, 8], [2, 2], cutoff=3.7, counts=[3, 3]) == (True, False)


def test_relative_strength_near_the_cut_off_against_the_best_competitor():
    # 10 × 5.5 / (5.5 + 4.5) = 5.5: on the edge. 10 × 5.6 / 10 = 5.6: past it.
    assert _placed([9, 9], [5.5, 5.5], [4.5, 4.5]) == (False, True)
    assert _placed([9, 9], [5.6, 5.6], [4.4, 4.4]) == (False, False)
    # 10 × 4.5 / 10 = 4.5 below.
    assert _placed([9, 9], [4.5, 4.5], [5.5, 5.5]) == (False, True)
    # Both zero is parity, 5: near a cut-off of 5, not of 5.6.
    assert _placed([9, 9], [0, 0], [0, 0]) == (False, True)
    assert _placed([9, 9], [0, 0], [0, 0], cutoff=5.6) == (False, False)


def test_without_a_competitor_our_own_score_is_compared():
    result = engine.matrix_compute(
        attractiveness_ratings=np.array([[9.0, 9.0], [9.0, 9.0]]),
        attractiveness_weights=np.array([60.0, 40.0]),
        our_strength_ratings=np.array([[4.5, 4.5], [4.49, 4.49]]),
        competitor_strength_ratings=np.full((2, 1, 2), np.nan),
        strength_weights=np.array([50.0, 50.0]),
        attractiveness_cutoff=5,
        strength_cutoff=5,
    )
    _near_a, near_s = engine.near_cutoffs(
        result, attractiveness_cutoff=5, strength_cutoff=5, distance=0.5
    )
    assert near_s.tolist() == [True, False]


def test_an_account_not_placed_is_never_near():
    assert _placed([4.5, np.nan], [5, 5], [5, 5]) == (False, False)


# --- The agenda of a round -------------------------------------------------------------------
@pytest.fixture
def agenda_round(rated_round):
    """The small round in its meeting, cut-offs 5, with these accounts (all rated by the
    small round's rater on Size, Openness, and Quality and Delivery for us and Rival):

    | account    | attractiveness        | relative strength     | box         | also          |
    | ---------- | --------------------- | --------------------- | ----------- | ------------- |
    | Alpha Mine | 7.4 (fixture)         | 6.36                  | key         |               |
    | C Edge     | 4.5                   | 8                     | maintenance | was key       |
    | D Far      | 9                     | 8                     | key         | was key; decided |
    | E Strength | 9                     | 5.5                   | key         |               |
    | F Just out | 5.51                  | 8                     | key         | was de-selected |
    | G Disputed | Size 9 and 5: 7.8     | 8                     | key         | spread 4      |
    | H Mild     | Size 9 and 7: 8.4     | 8                     | key         | spread 2      |
    | I Settled  | Size 9 and 5, agreed 7: 7.8 | 8               | key         | spread 4, agreed |
    | Beta Other | nothing               |                       |             |               |
    """
    r = rated_round
    member = UserFactory(username="member", role="selection_team")
    rows = {
        "C Edge": ("4.5", "4.5", "8", "2"),
        "D Far": ("9", "9", "8", "2"),
        "E Strength": ("9", "9", "5.5", "4.5"),
        "F Just out": ("5.51", "5.51", "8", "2"),
        "G Disputed": ("9", "9", "8", "2"),
        "H Mild": ("9", "9", "8", "2"),
        "I Settled": ("9", "9", "8", "2"),
    }
    customers = {}
    for name, (size, openness, us, rival) in rows.items():
        customer = CustomerFactory(name=name)
        customers[name] = customer
        for factor, competitor, value in (
            (r.a1, None, size),
            (r.a2, None, openness),
            (r.s1, None, us),
            (r.s2, None, us),
            (r.s1, r.competitor, rival),
            (r.s2, r.competitor, rival),
        ):
            RatingFactory(
                round=r.round,
                factor=factor,
                customer=customer,
                rater=r.rater,
                competitor=competitor,
                value=Decimal(value),
            )
    for name, value in (("G Disputed", "5"), ("H Mild", "7"), ("I Settled", "5")):
        RatingFactory(
            round=r.round, factor=r.a1, customer=customers[name], rater=member, value=Decimal(value)
        )
    Consensus.objects.create(
        round=r.round, customer=customers["I Settled"], factor=r.a1, value=Decimal("7")
    )
    previous = ScoringRoundFactory(
        name="Last year", date=r.round.date - dt.timedelta(days=365), decided=True
    )
    for name, choice in (("C Edge", "key"), ("D Far", "key"), ("F Just out", "deselected")):
        Decision.objects.create(
            round=previous, customer=customers[name], choice=choice, coverage="farmer"
        )
    Decision.objects.create(
        round=r.round, customer=customers["D Far"], choice="key", coverage="farmer"
    )
    stage_set(r, ScoringRound.Status.MEETING)
    return r


def _names(matrix, rows):
    return [matrix.customers[row].name for row in rows]


def test_the_agenda_lists_each_reason_for_discussion_in_meeting_order(agenda_round):
    matrix = round_matrix(scoring_round=agenda_round.round)
    agenda = meeting_agenda(scoring_round=agenda_round.round, matrix=matrix)
    # Key box, most attractive first (ties by name), then Maintenance; Beta has no rating.
    assert _names(matrix, agenda.order) == [
        "D Far",
        "E Strength",
        "H Mild",
        "G Disputed",
        "I Settled",
        "Alpha Mine",
        "F Just out",
        "C Edge",
    ]
    subsets = {name: _names(matrix, rows) for name, rows in agenda.subsets.items()}
    assert subsets["disagreement"] == ["G Disputed"]  # H only 2 apart, I agreed
    assert subsets["cutoff"] == ["E Strength", "C Edge"]  # F is 0.51 away
    assert subsets["moved"] == ["F Just out", "C Edge"]  # D still key; E had no decision
    assert subsets["discuss"] == ["E Strength", "G Disputed", "F Just out", "C Edge"]
    assert subsets["all"] == _names(matrix, agenda.order)
    assert _names(matrix, sorted(agenda.decided)) == ["D Far"]


def test_without_a_previous_round_no_box_has_moved(agenda_round):
    ScoringRound.objects.filter(name="Last year").delete()
    matrix = round_matrix(scoring_round=agenda_round.round)
    assert meeting_agenda(scoring_round=agenda_round.round, matrix=matrix).subsets["moved"] == []


# --- Stepping through a subset ---------------------------------------------------------------
AGENDA = MeetingAgenda(
    order=[10, 11, 12, 13, 14], subsets={"some": [11, 13, 14], "one": [13]}, decided={13}
)


def _cursor(subset="some", undecided=False, row=None, step=None):
    cursor = meeting_cursor(agenda=AGENDA, subset=subset, undecided=undecided, row=row, step=step)
    keys = ("row", "index", "count", "previous_row", "next_row", "members", "decided")
    return tuple(cursor[key] for key in keys)


def test_stepping_starts_at_the_first_account_of_the_subset():
    assert _cursor() == (11, 1, 3, None, 13, 3, 1)
    assert _cursor(row=13) == (13, 2, 3, 11, 14, 3, 1)
    assert _cursor(step=3) == (14, 3, 3, 13, None, 3, 1)
    assert _cursor(step=99) == (14, 3, 3, 13, None, 3, 1)


def test_undecided_only_skips_the_decided_and_keeps_the_place_of_one_just_decided():
    assert _cursor(undecided=True) == (11, 1, 2, None, 14, 3, 1)
    # 13 was decided while in front of the team: its neighbours are still before and after.
    assert _cursor(undecided=True, row=13) == (13, None, 2, 11, 14, 3, 1)


def test_an_account_outside_the_subset_steps_to_its_neighbours_in_meeting_order():
    assert _cursor(row=12) == (12, None, 3, 11, 13, 3, 1)
    assert _cursor(row=10) == (10, None, 3, None, 11, 3, 1)


def test_a_subset_with_every_account_decided_has_none_to_show():
    assert _cursor(subset="one", undecided=True) == (None, None, 0, None, None, 1, 1)


# --- The page ---------------------------------------------------------------------------------
def test_the_meeting_page_steps_through_the_chosen_subset(client, agenda_round, team_user):
    client.force_login(team_user)
    url = reverse("scoring:round_meeting", args=[agenda_round.round.pk])
    response = client.get(url, {"subset": "cutoff"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "E Strength" in page.split("</h1>")[0]
    assert "Account 1 of 2" in page
    assert "Decided 0 of 2" in page
    edge = Customer.objects.get(name="C Edge")
    assert f"subset=cutoff&amp;account={edge.pk}" in page  # Next keeps the subset
    response = client.get(url, {"subset": "all", "undecided": "on", "account": edge.pk})
    page = response.content.decode()
    assert "C Edge" in page.split("</h1>")[0]
    assert "Account 7 of 7" in page  # D Far is decided
    assert "Decided 1 of 8" in page


def test_an_unknown_subset_shows_all_accounts(client, agenda_round, team_user):
    client.force_login(team_user)
    url = reverse("scoring:round_meeting", args=[agenda_round.round.pk])
    page = client.get(url, {"subset": "nonsense"}).content.decode()
    assert "Account 1 of 8" in page


def test_the_scores_hide_a_competitor_nobody_rated_but_keep_our_missing_rating(rated_round):
    r = rated_round
    CompetitorFactory(name="Unrated rival")
    Rating.objects.filter(round=r.round, customer=r.mine, factor=r.s2, competitor=None).delete()
    stage_set(r, ScoringRound.Status.MEETING)
    matrix = round_matrix(scoring_round=r.round)
    row = next(i for i, c in enumerate(matrix.customers) if c.pk == r.mine.pk)
    rows = account_rating_rows(scoring_round=r.round, matrix=matrix, position=matrix.position(row))[
        "rating_rows"
    ]
    shown = [(row["factor"].name, getattr(row["competitor"], "name", None)) for row in rows]
    assert shown == [
        ("Size", None),
        ("Openness", None),
        ("Quality", None),
        ("Quality", "Rival"),
        ("Delivery", None),  # our rating missing: shown, empty
        ("Delivery", "Rival"),
    ]
    assert rows[4]["values"] == [None]
