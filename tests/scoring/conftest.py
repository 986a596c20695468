"""A small hand-made round: two factors per axis, one competitor, two accounts."""

from decimal import Decimal

import pytest

from accounts.models import CompanySettings
from scoring.models import Axis, Consideration, Rating
from scoring.services import rating_record
from tests.factories import (
    CompetitorFactory,
    CustomerFactory,
    FactorFactory,
    RatingFactory,
    ScoringRoundFactory,
)


@pytest.fixture
def small_round(db, manager_user):
    CompanySettings.load()  # created once, so query counts compare like with like
    scoring_round = ScoringRoundFactory(name="Test round")
    a1 = FactorFactory(
        round=scoring_round,
        name="Size",
        weight=60,
        position=0,
        consideration=Consideration.PURE,
        rubric_low="tiny",
        rubric_high="huge",
    )
    a2 = FactorFactory(
        round=scoring_round,
        name="Openness",
        weight=40,
        position=1,
        consideration=Consideration.SUCCESS,
    )
    s1 = FactorFactory(
        round=scoring_round, axis=Axis.STRENGTH, name="Quality", weight=50, position=0
    )
    s2 = FactorFactory(
        round=scoring_round, axis=Axis.STRENGTH, name="Delivery", weight=50, position=1
    )
    competitor = CompetitorFactory(name="Rival")
    mine = CustomerFactory(code="M1", name="Alpha Mine", owner=manager_user)
    other = CustomerFactory(code="O1", name="Beta Other")
    return {
        "round": scoring_round,
        "a1": a1,
        "a2": a2,
        "s1": s1,
        "s2": s2,
        "competitor": competitor,
        "mine": mine,
        "other": other,
        "rater": manager_user,
    }


@pytest.fixture
def rated_round(small_round):
    """Alpha: attractiveness 0.6×9 + 0.4×5 = 7.4; us 0.5×8 + 0.5×6 = 7; rival 0.5×4 + 0.5×4 = 4;
    relative 10×7/11 = 6.3636 → key."""
    r = small_round
    values = [
        (r["a1"], None, "9"),
        (r["a2"], None, "5"),
        (r["s1"], None, "8"),
        (r["s2"], None, "6"),
        (r["s1"], r["competitor"], "4"),
        (r["s2"], r["competitor"], "4"),
    ]
    for factor, competitor, value in values:
        RatingFactory(
            round=r["round"],
            factor=factor,
            customer=r["mine"],
            rater=r["rater"],
            competitor=competitor,
            value=Decimal(value),
        )
    return r


def record(r, raw_value: str, *, customer="mine", factor="a1", competitor=None, rater=None):
    """Record one rating in the small round: by its manager, of Alpha's Size, unless told."""
    return rating_record(
        scoring_round=r["round"],
        customer=r[customer],
        factor=r[factor],
        competitor=competitor,
        rater=rater or r["rater"],
        raw_value=raw_value,
    )


def factor_set_post(axis: str, rows: list[dict], *, initial: int | None = None) -> dict:
    """The factor set page's POST body for one axis: one dict of fields per row."""
    data = {
        "axis": axis,
        f"{axis}-TOTAL_FORMS": str(len(rows)),
        f"{axis}-INITIAL_FORMS": str(len(rows) if initial is None else initial),
    }
    for index, row in enumerate(rows):
        data |= {f"{axis}-{index}-{name}": value for name, value in row.items()}
    return data


@pytest.fixture
def two_tiers(rated_round):
    """Alpha (tier A, revenue 2,000,000) and Beta (tier C, revenue 10,000: 200 times less),
    both placed with the same ratings."""
    from django.utils import timezone

    from accounts.models import CustomerMetrics, MetricsRun

    r = rated_round
    for rating in Rating.objects.filter(round=r["round"], customer=r["mine"]):
        RatingFactory(
            round=r["round"],
            factor=rating.factor,
            customer=r["other"],
            rater=r["rater"],
            competitor=rating.competitor,
            value=rating.value,
        )
    run = MetricsRun.objects.create(
        trigger="command", status="succeeded", started_at=timezone.now()
    )
    for customer, revenue, tier in ((r["mine"], 2_000_000, "A"), (r["other"], 10_000, "C")):
        CustomerMetrics.objects.create(
            customer=customer, run=run, rank=1, tier=tier, revenue=Decimal(revenue)
        )
    return r
