"""Writes: ratings, rounds and factor sets refuse bad input and keep the data as it was."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from scoring.models import Axis, Factor, Rating, ScoringRound
from scoring.services import factor_set_save, rating_parse, round_create
from tests.factories import UserFactory
from tests.fixtures.rounds import record, stage_set

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7", Decimal("7")),
        ("7.5", Decimal("7.5")),
        ("7,5", Decimal("7.5")),
        (" 10 ", Decimal("10")),
        ("0", Decimal("0")),
        ("0.25", Decimal("0.25")),
        (".5", Decimal("0.5")),
        ("", None),
        ("  ", None),
    ],
)
def test_rating_parse_accepts_decimals_from_0_to_10(raw, expected):
    assert rating_parse(raw) == expected


@pytest.mark.parametrize(
    "raw", ["11", "10.01", "-1", "abc", "1e1", "nan", "7.555", "5..5", "=1+1", "7 5"]
)
def test_rating_parse_rejects_anything_else(raw):
    with pytest.raises(ValidationError):
        rating_parse(raw)


def test_out_of_range_message_says_what_is_wrong():
    with pytest.raises(ValidationError) as error:
        rating_parse("11")
    assert "out of range" in error.value.messages[0]
    assert "0 to 10" in error.value.messages[0]


def test_rating_record_stores_and_updates_one_cell(small_round):
    r = small_round
    for raw in ("6", "7,5"):
        record(r, raw)
    assert list(Rating.objects.values_list("value", flat=True)) == [Decimal("7.5")]


def test_invalid_rating_leaves_the_stored_value(rated_round):
    r = rated_round
    with pytest.raises(ValidationError):
        record(r, "12")
    assert Rating.objects.get(factor=r.a1, customer=r.mine).value == Decimal("9")


def test_empty_value_clears_the_cell(rated_round):
    r = rated_round
    record(r, "")
    assert not Rating.objects.filter(factor=r.a1, customer=r.mine).exists()


def test_sales_manager_cannot_rate_another_managers_account(small_round):
    r = small_round
    with pytest.raises(PermissionDenied):
        record(r, "5", customer="other")
    assert not Rating.objects.exists()


def test_competitor_ratings_only_on_strength_factors(small_round):
    r = small_round
    with pytest.raises(ValidationError):
        record(r, "5", competitor=r.competitor)


def test_decided_round_refuses_ratings(rated_round):
    r = rated_round
    stage_set(r, ScoringRound.Status.DECIDED)
    with pytest.raises(ValidationError, match="decided"):
        record(r, "1")
    assert Rating.objects.get(factor=r.a1, customer=r.mine).value == Decimal("9")


def test_same_cell_from_two_raters_is_two_ratings(small_round):
    r = small_round
    team = UserFactory(username="team-rater", role="selection_team")
    for rater in (r.rater, team):
        record(r, "5", rater=rater)
    assert Rating.objects.count() == 2


def _rows(factors):
    return [
        {"id": f.pk, "name": f.name, "weight": f.weight, "consideration": f.consideration}
        for f in factors
    ]


def test_weights_must_add_up_to_100(small_round):
    r = small_round
    rows = _rows([r.a1, r.a2])
    rows[0]["weight"] = Decimal("55")
    with pytest.raises(ValidationError) as error:
        factor_set_save(scoring_round=r.round, axis=Axis.ATTRACTIVENESS, factors=rows)
    assert "add up to 95, not 100" in error.value.messages[0]
    assert Factor.objects.get(pk=r.a1.pk).weight == 60


def test_factor_set_renames_reweights_reorders_adds_and_removes(small_round):
    r = small_round
    rows = [
        {
            "id": r.a2.pk,
            "name": "Openness to partnership",
            "weight": 30,
            "consideration": "success",
        },
        {"id": r.a1.pk, "name": "Size", "weight": 50, "consideration": "pure"},
        {
            "id": None,
            "name": "Fit",
            "weight": 20,
            "consideration": "long_term",
            "rubric_high": "core",
        },
    ]
    factor_set_save(scoring_round=r.round, axis=Axis.ATTRACTIVENESS, factors=rows)
    factors = list(r.round.factors.filter(axis=Axis.ATTRACTIVENESS).order_by("position"))
    assert [(f.name, f.weight, f.position) for f in factors] == [
        ("Openness to partnership", 30, 0),
        ("Size", 50, 1),
        ("Fit", 20, 2),
    ]
    rows = _rows(factors)
    rows[2]["delete"] = True
    rows[0]["weight"], rows[1]["weight"] = 40, 60
    factor_set_save(scoring_round=r.round, axis=Axis.ATTRACTIVENESS, factors=rows)
    assert r.round.factors.filter(axis=Axis.ATTRACTIVENESS).count() == 2


def test_factors_can_swap_names_in_one_save(small_round):
    r = small_round
    rows = _rows([r.a1, r.a2])
    rows[0]["name"], rows[1]["name"] = "Openness", "Size"
    factor_set_save(scoring_round=r.round, axis=Axis.ATTRACTIVENESS, factors=rows)
    assert Factor.objects.get(pk=r.a1.pk).name == "Openness"


def test_two_factors_cannot_share_a_name(small_round):
    r = small_round
    rows = _rows([r.a1, r.a2])
    rows[1]["name"] = "size"
    with pytest.raises(ValidationError, match="share a name"):
        factor_set_save(scoring_round=r.round, axis=Axis.ATTRACTIVENESS, factors=rows)


def test_attractiveness_factor_needs_a_consideration(small_round):
    r = small_round
    rows = _rows([r.a1, r.a2])
    rows[0]["consideration"] = ""
    with pytest.raises(ValidationError):
        factor_set_save(scoring_round=r.round, axis=Axis.ATTRACTIVENESS, factors=rows)
    assert Factor.objects.get(pk=r.a1.pk).consideration == "pure"


def test_new_round_copies_the_previous_rounds_factors(small_round, admin_user):
    r = small_round
    new = round_create(
        name="Next", date="2027-01-10", created_by=admin_user, copy_factors_from=r.round
    )
    copied = {(f.axis, f.name, f.weight, f.consideration, f.rubric_low) for f in new.factors.all()}
    original = {
        (f.axis, f.name, f.weight, f.consideration, f.rubric_low) for f in r.round.factors.all()
    }
    assert copied == original
    assert new.status == ScoringRound.Status.DRAFT
