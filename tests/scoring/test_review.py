"""Review: which round is "the previous round", the team's pick of another decided round,
who moved, entered or left, and the candidates for de-selection."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import CustomerMetrics, MetricsRun
from scoring.models import Decision, Rating, RoundMember
from scoring.selectors import (
    review_lists,
    round_comparable,
    round_latest,
    round_previous,
    round_review,
)
from scoring.selectors.review import REVIEW_ROWS_SHOWN
from tests.factories import CustomerFactory, ScoringRoundFactory
from tests.fixtures.rounds import round_decided_copy, stage_set

pytestmark = pytest.mark.django_db

LAST_YEAR = dt.date(2025, 1, 1)


@pytest.fixture
def team(team_round):
    """The team's round in its meeting, dated 2026-01-01."""
    r = team_round
    r.round.date = dt.date(2026, 1, 1)
    r.round.save()
    stage_set(r, "meeting")
    return r


def _stage(customer, stage: str) -> None:
    run = MetricsRun.objects.create(
        trigger="command", status="succeeded", started_at=timezone.now()
    )
    CustomerMetrics.objects.create(customer=customer, run=run, rank=1, tier="A", stage=stage)


# --- The previous round -------------------------------------------------------------------
def test_the_previous_round_is_the_latest_decided_one_dated_before(team):
    r = team
    older = round_decided_copy(r, name="2024", date=dt.date(2024, 6, 1), ratings={})
    last = round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={}, status="archived")
    round_decided_copy(r, name="Later", date=dt.date(2026, 6, 1), ratings={})
    assert round_previous(scoring_round=r.round) == last
    last.delete()
    assert round_previous(scoring_round=r.round) == older


@pytest.mark.parametrize("status", ["draft", "scoring", "meeting"])
def test_a_round_not_yet_decided_is_never_the_previous_round(team, status):
    r = team
    last = round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={})
    # Newer than the decided one, even dated the same day as this round and created after.
    round_decided_copy(r, name="Not decided", date=dt.date(2025, 6, 1), ratings={}, status=status)
    round_decided_copy(r, name="Same day", date=r.round.date, ratings={}, status=status)
    assert round_previous(scoring_round=r.round) == last


def test_on_one_date_rounds_follow_their_ids(team):
    r = team
    round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={})
    same_day_after = round_decided_copy(r, name="Same day, after", date=r.round.date, ratings={})
    # A decided round of the same date made after this one is not before it...
    assert round_previous(scoring_round=r.round).name == "2025"
    # ...while this round, once decided, is before that one.
    stage_set(r, "decided")
    assert round_previous(scoring_round=same_day_after) == r.round
    # Two decided rounds of one earlier date: the one made later is the latest.
    first = round_decided_copy(r, name="Twin 1", date=LAST_YEAR, ratings={})
    second = round_decided_copy(r, name="Twin 2", date=LAST_YEAR, ratings={})
    assert first.pk < second.pk
    assert round_previous(scoring_round=r.round) == second


def test_the_new_round_form_starts_from_the_latest_round_of_any_stage(client, team):
    r = team
    round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={})
    draft = ScoringRoundFactory(name="Draft", date=dt.date(2026, 2, 1), draft=True)
    assert round_latest() == draft
    client.force_login(r.coordinator)
    form = client.get(reverse("scoring:round_new")).context["form"]
    assert form.initial["copy_factors_from"] == draft


def test_review_never_shows_a_round_still_in_blind_scoring(client, team):
    """A sales manager on the round's team follows its review; a newer round of the same
    date, still in scoring, holds another rater's rating: its pooled boxes stay hidden."""
    r = team
    RoundMember.objects.create(round=r.round, user=r.rater, team_role="resource_investigator")
    last = round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={r.mine: "1"})
    blind = round_decided_copy(
        r, name="Rerun", date=r.round.date, ratings={r.other: "9"}, status="scoring"
    )
    assert blind.pk > r.round.pk
    client.force_login(r.rater)
    response = client.get(reverse("scoring:round_review", args=[r.round.pk]))
    assert response.status_code == 200
    assert response.context["previous"] == last
    assert response.context["then"].scoring_round == last
    assert "Rerun" not in response.content.decode()
    # Beta is placed only in the blind round: it must be in no list of the review.
    listed = {row.customer.pk for row in response.context["rows"]}
    assert listed == {r.mine.pk}


# --- The team's pick ---------------------------------------------------------------------
def test_review_compares_with_another_decided_round_on_request(client, team):
    r = team
    last = round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={r.mine: "1"})
    older = round_decided_copy(r, name="2024", date=dt.date(2024, 1, 1), ratings={r.mine: "9"})
    round_decided_copy(r, name="Draft", date=dt.date(2025, 6, 1), ratings={}, status="draft")
    client.force_login(r.coordinator)
    url = reverse("scoring:round_review", args=[r.round.pk])
    default = client.get(url)
    assert default.context["previous"] == last
    assert list(default.context["form"].fields["compare"].queryset) == [last, older]
    assert [row.customer.pk for row in default.context["moved"]] == [r.mine.pk]
    picked = client.get(url, {"compare": older.pk})
    assert picked.context["previous"] == older
    # In 2024 Alpha was key (all 9s), as now: it did not move.
    assert picked.context["moved"] == []
    assert f'<option value="{older.pk}" selected>' in picked.content.decode()


@pytest.mark.parametrize("pick", ["scoring", "draft", "self", "missing", "text"])
def test_review_refuses_a_round_that_is_not_another_decided_one(client, team, pick):
    r = team
    round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={})
    other = ScoringRoundFactory(
        date=LAST_YEAR, status=pick if pick in ("scoring", "draft") else "decided"
    )
    value = {"self": r.round.pk, "missing": 999_999, "text": "x"}.get(pick, other.pk)
    client.force_login(r.coordinator)
    response = client.get(reverse("scoring:round_review", args=[r.round.pk]), {"compare": value})
    assert response.status_code == 404


def test_the_rounds_to_compare_with_are_the_other_decided_ones(team):
    r = team
    decided = round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={})
    archived = round_decided_copy(
        r, name="2024", date=dt.date(2024, 1, 1), ratings={}, status="archived"
    )
    later = round_decided_copy(r, name="2027", date=dt.date(2027, 1, 1), ratings={})
    for status in ("draft", "scoring", "meeting"):
        ScoringRoundFactory(status=status)
    assert list(round_comparable(scoring_round=r.round)) == [later, decided, archived]


# --- Movers, entries, leavers ------------------------------------------------------------
def test_review_lists_movers_entries_and_leavers(team):
    r = team
    # Last year: Beta was key (all 9s, no competitor); Alpha was not rated.
    previous = round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={r.other: "9"})
    review = round_review(scoring_round=r.round, previous=previous)
    assert [row.customer.pk for row in review["entered"]] == [r.mine.pk]
    assert [row.customer.pk for row in review["left"]] == [r.other.pk]
    assert review["moved"] == []


def test_review_page_draws_arrows_for_moved_accounts(client, team):
    r = team
    round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={r.mine: "1"})
    client.force_login(r.coordinator)
    response = client.get(reverse("scoring:round_review", args=[r.round.pk]))
    assert [row.customer.pk for row in response.context["moved"]] == [r.mine.pk]
    arrows = [a for a in response.context["figure"]["layout"]["annotations"] if a.get("showarrow")]
    assert len(arrows) == 1 and arrows[0]["ax"] == pytest.approx(1.0)


def test_review_says_when_no_decided_round_comes_before(client, team):
    r = team
    ScoringRoundFactory(name="Draft", date=LAST_YEAR, draft=True)
    client.force_login(r.coordinator)
    response = client.get(reverse("scoring:round_review", args=[r.round.pk]))
    assert response.context["previous"] is None
    assert "There is no earlier round to compare with." in response.content.decode()
    assert "data-review-compare" not in response.content.decode()


# --- De-selection candidates --------------------------------------------------------------
# (attractiveness, our strength) rating every factor, no competitor: each box, and unplaced.
PLACEMENTS = {
    "key": ("8", "8"),
    "key_development": ("8", "2"),
    "maintenance": ("2", "8"),
    "opportunistic": ("2", "2"),
    "": ("8", None),  # strength not rated: not placed
}
STAGES = ["", "new", "growing", "steady", "none", "declining", "lapsed"]
BOX_NAMES = {
    "key_development": "Key development",
    "maintenance": "Maintenance",
    "opportunistic": "Opportunistic",
}
STAGE_NAMES = {"declining": "Declining", "lapsed": "Lapsed"}


def _expected_reasons(box: str, stage: str, decision: str) -> list[str]:
    """The rule, written out: selected as key last round, and now outside the key box (or
    not placed) or lapsed or declining."""
    if decision != "key":
        return []
    reasons = []
    if box == "":
        reasons.append("Not placed in this round")
    elif box != "key":
        reasons.append(f"Now in {BOX_NAMES[box]}")
    if stage in STAGE_NAMES:
        reasons.append(f"Ledger stage: {STAGE_NAMES[stage]}")
    return reasons


@pytest.fixture
def every_case(team):
    """One account per (box now, ledger stage, decision last round); none is rated in the
    previous round, so the unplaced ones are placed in neither round."""
    r = team
    previous = round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={})
    run = MetricsRun.objects.create(
        trigger="command", status="succeeded", started_at=timezone.now()
    )
    cases, ratings, metrics, decisions = {}, [], [], []
    for box, (attractiveness, strength) in PLACEMENTS.items():
        for stage in STAGES:
            for decision in ("key", "key_development", ""):
                customer = CustomerFactory(name=f"Case {box or 'unplaced'} {stage} {decision}")
                cases[customer.pk] = (box, stage, decision)
                cells = [(r.a1, attractiveness), (r.a2, attractiveness)]
                cells += [(r.s1, strength), (r.s2, strength)] if strength else []
                ratings += [
                    Rating(round=r.round, factor=f, customer=customer, rater=r.rater, value=v)
                    for f, v in cells
                ]
                if stage:
                    metrics.append(
                        CustomerMetrics(customer=customer, run=run, rank=1, tier="B", stage=stage)
                    )
                if decision:
                    decisions.append(
                        Decision(
                            round=previous, customer=customer, choice=decision, coverage="farmer"
                        )
                    )
    Rating.objects.bulk_create(ratings)
    CustomerMetrics.objects.bulk_create(metrics)
    Decision.objects.bulk_create(decisions)
    return r, previous, cases


def test_deselection_candidates_follow_the_rule_in_every_case(every_case):
    r, previous, cases = every_case
    review = round_review(scoring_round=r.round, previous=previous)
    boxes = {p.customer.pk: p.box for p in review["now"].positions}
    assert all(boxes[pk] == box for pk, (box, _stage, _decision) in cases.items())
    listed = {row.customer.pk: row.reasons for row in review["deselection_candidates"]}
    expected = {
        pk: _expected_reasons(*case) for pk, case in cases.items() if _expected_reasons(*case)
    }
    assert listed == expected
    assert len(expected) == 4 * 7 + 2  # every key decision outside the key box, 2 unhealthy in it


def test_an_account_in_the_key_box_and_healthy_is_never_a_candidate(every_case):
    r, previous, cases = every_case
    review = round_review(scoring_round=r.round, previous=previous)
    listed = {row.customer.pk for row in review["deselection_candidates"]}
    healthy_keys = {
        pk
        for pk, (box, stage, decision) in cases.items()
        if box == "key" and stage not in ("lapsed", "declining") and decision == "key"
    }
    assert len(healthy_keys) == 5
    assert not listed & healthy_keys


def test_a_key_account_placed_in_neither_round_is_a_candidate(team):
    """Selected as key, then not placed last round nor now: no other list shows it."""
    r = team
    previous = round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={})
    Decision.objects.create(round=previous, customer=r.other, choice="key", coverage="farmer")
    review = round_review(scoring_round=r.round, previous=previous)
    assert review["rows"] and r.other.pk not in {row.customer.pk for row in review["rows"]}
    assert [row.customer.pk for row in review["deselection_candidates"]] == [r.other.pk]


def test_deselection_candidates_are_listed_by_name_with_their_reasons(client, team):
    r = team
    previous = round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={r.other: "9"})
    for customer in (r.mine, r.other):
        Decision.objects.create(round=previous, customer=customer, choice="key", coverage="farmer")
    _stage(r.mine, "declining")
    client.force_login(r.coordinator)
    response = client.get(reverse("scoring:round_review", args=[r.round.pk]))
    rows = response.context["deselection_candidates"]
    assert [(row.customer.name, row.reasons) for row in rows] == [
        ("Alpha Mine", ["Ledger stage: Declining"]),  # in the key box, but declining
        ("Beta Other", ["Not placed in this round"]),
    ]
    content = response.content.decode()
    table = content[content.index('data-review="deselect"') :]
    table = table[: table.index("</table>")]
    assert "<td data-reasons>Ledger stage: Declining</td>" in table
    assert "<td data-reasons>Not placed in this round</td>" in table


# --- Lists shown -----------------------------------------------------------------------------
def test_review_lists_show_their_first_rows_all_on_request_and_every_deselection_candidate():
    review = {
        "deselection_candidates": list(range(30)),
        "moved": list(range(40)),
        "entered": list(range(25)),
        "left": [],
    }
    lists = review_lists(review=review)
    assert {name: (len(lst.rows), lst.total, lst.cut) for name, lst in lists.items()} == {
        "deselect": (30, 30, False),
        "moved": (REVIEW_ROWS_SHOWN, 40, True),
        "entered": (25, 25, False),
        "left": (0, 0, False),
    }
    assert lists["moved"].rows == list(range(REVIEW_ROWS_SHOWN))
    assert review_lists(review=review, expanded="moved")["moved"].rows == list(range(40))


def test_review_page_cuts_a_long_list_and_shows_it_all_on_request(client, team, monkeypatch):
    r = team
    monkeypatch.setattr("scoring.selectors.review.REVIEW_ROWS_SHOWN", 0)
    previous = round_decided_copy(r, name="2025", date=LAST_YEAR, ratings={r.other: "9"})
    client.force_login(r.coordinator)
    url = reverse("scoring:round_review", args=[r.round.pk])
    content = client.get(url).content.decode()
    entered = content[content.index('data-review="entered"') :]
    entered = entered[: entered.index("</table>")]
    assert "Showing 0 of 1 account." in entered and "all=entered" in entered
    assert r.mine.name not in entered
    content = client.get(url, {"all": "entered", "compare": previous.pk}).content.decode()
    entered = content[content.index('data-review="entered"') :]
    entered = entered[: entered.index("</table>")]
    assert r.mine.name in entered and "Showing" not in entered
    left = content[content.index('data-review="left"') :]
    assert f"compare={previous.pk}&amp;all=left" in left[: left.index("</table>")]
