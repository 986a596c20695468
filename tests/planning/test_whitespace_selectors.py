"""Whitespace on a small ledger, every figure computed by hand.

Segment Retail has four accounts (A, B, C, D), Solo one (E); F has no segment. The ledger
ends on 2026-06-30, so the 12-month metrics period runs from 2025-07-01. Rules: PV* is
Solar, PV-9* is Big solar (the longer prefix wins), CBL-1 is Cables (an exact code);
XYZ has no rule and no fall-back prefix is set, so it is Unmapped.

Retail's buyers: Solar A 150 (two codes), B 150 (a tie), C 10 (lower case "pv-5"):
3 of 4, 75%, median 150; C's 10 is below half of it (75): an up-sell. Big solar: B 300
(A's 1,000 is before the period): 25%. Cables: A 40; D bought 60 and was credited 60, so
it is no buyer: 25%. Unmapped: C 20, 25%.
"""

import datetime
from decimal import Decimal

import pytest

from planning.models import ProductGroupRule, WhitespaceSettings
from planning.selectors import whitespace_account, whitespace_matrix
from scoring.models import Decision
from tests.factories import (
    CustomerFactory,
    LedgerLineFactory,
    ScoringRoundFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db

END = datetime.date(2026, 6, 30)


@pytest.fixture
def ledger():
    retail, solo = SegmentFactory(name="Retail"), SegmentFactory(name="Solo")
    a, b, c, d = (CustomerFactory(name=name, segment=retail) for name in "ABCD")
    e = CustomerFactory(name="E", segment=solo)
    f = CustomerFactory(name="F", segment=None)
    for customer, code, amount, date in [
        (a, "PV-100", "100.00", END),
        (a, "PV-200", "50.00", datetime.date(2025, 7, 1)),  # the period's first day
        (a, "CBL-1", "40.00", END),
        (a, "PV-999", "1000.00", datetime.date(2025, 6, 30)),  # the day before: out
        (b, "PV-901", "300.00", END),
        (b, "PV-1", "150.00", END),
        (c, "pv-5", "10.00", END),
        (c, "XYZ", "20.00", END),
        (d, "CBL-1", "60.00", END),
        (d, "CBL-1", "-60.00", END),
        (e, "PV-1", "500.00", END),
        (f, "PV-1", "5.00", END),
    ]:
        LedgerLineFactory(
            customer=customer, product_code=code, amount=Decimal(amount), invoice_date=date
        )
    ProductGroupRule.objects.create(pattern="PV", is_prefix=True, group="Solar")
    ProductGroupRule.objects.create(pattern="PV-9", is_prefix=True, group="Big solar")
    ProductGroupRule.objects.create(pattern="CBL-1", is_prefix=False, group="Cables")
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


def _cells(page: dict) -> dict:
    return {cell["label"]: cell for cell in page["cells"]}


def test_account_spend_penetration_and_median_by_hand(ledger):
    page = whitespace_account(customer=ledger["a"])
    assert page["period"] == (datetime.date(2025, 7, 1), END)
    cells = _cells(page)
    assert list(cells) == ["Big solar", "Cables", "Solar", "Unmapped"]
    assert cells["Solar"]["spend"] == Decimal("150.0000")
    assert cells["Solar"]["penetration"] == 0.75
    assert cells["Solar"]["median"] == Decimal("150")
    assert cells["Solar"]["upsell"] is False
    assert cells["Cables"]["spend"] == Decimal("40.0000")
    assert cells["Cables"]["penetration"] == 0.25
    assert cells["Big solar"]["spend"] is None
    assert [(c["label"], c["penetration"]) for c in page["candidates"]] == [
        ("Big solar", 0.25),
        ("Unmapped", 0.25),
    ]
    assert page["upsells"] == []
    assert page["segment_size"] == 4


def test_spend_far_below_the_segments_median_is_an_up_sell(ledger):
    page = whitespace_account(customer=ledger["c"])
    assert [(c["label"], c["spend"], c["median"]) for c in page["upsells"]] == [
        ("Solar", Decimal("10.0000"), Decimal("150"))
    ]
    assert [c["label"] for c in page["candidates"]] == ["Big solar", "Cables"]


def test_the_up_sell_threshold_is_a_setting(ledger):
    WhitespaceSettings.objects.update_or_create(pk=1, defaults={"upsell_below_percent": 6})
    # 10 is not below 6% of 150 (9).
    assert whitespace_account(customer=ledger["c"])["upsells"] == []


def test_a_credit_that_cancels_a_purchase_leaves_no_buyer(ledger):
    page = whitespace_account(customer=ledger["d"])
    cells = _cells(page)
    assert cells["Cables"]["spend"] == Decimal("0.0000")
    assert cells["Cables"]["candidate"] is True
    assert [(c["label"], c["penetration"]) for c in page["candidates"]] == [
        ("Solar", 0.75),
        ("Big solar", 0.25),
        ("Cables", 0.25),
        ("Unmapped", 0.25),
    ]


def test_an_account_alone_in_its_segment_has_full_penetration_and_no_candidates(ledger):
    page = whitespace_account(customer=ledger["e"])
    cells = _cells(page)
    assert list(cells) == ["Solar"]
    assert cells["Solar"]["penetration"] == 1.0
    assert cells["Solar"]["median"] == Decimal("500")
    assert page["candidates"] == [] and page["upsells"] == []


def test_an_account_without_a_segment_has_no_peers(ledger):
    page = whitespace_account(customer=ledger["f"])
    cells = _cells(page)
    assert cells["Solar"]["spend"] == Decimal("5.0000")
    assert "penetration" not in cells["Solar"] and cells["Solar"]["median"] is None
    assert page["candidates"] == [] and page["upsells"] == []


def test_a_fall_back_prefix_groups_unmapped_codes(ledger):
    WhitespaceSettings.objects.update_or_create(pk=1, defaults={"fallback_prefix_length": 2})
    cells = _cells(whitespace_account(customer=ledger["c"]))
    assert "XY…" in cells and "Unmapped" not in cells


def _decide(ledger, choices: dict):
    scoring_round = ScoringRoundFactory(decided=True)
    for name, choice in choices.items():
        Decision.objects.create(
            round=scoring_round, customer=ledger[name], choice=choice, coverage="farmer"
        )


def test_matrix_shows_the_key_accounts_by_default_and_all_on_request(ledger):
    _decide(ledger, {"a": "key", "c": "key_development", "b": "maintenance"})
    matrix = whitespace_matrix()
    assert [g["label"] for g in matrix["groups"]] == ["Big solar", "Cables", "Solar", "Unmapped"]
    assert [row["customer"].name for row in matrix["rows"]] == ["A", "C"]
    row_c = matrix["rows"][1]
    assert row_c["box"] == "key_development"
    assert row_c["upsells"] == 1
    solar = row_c["cells"][2]
    assert (solar["spend"], solar["upsell"]) == (Decimal("10.0000"), True)
    big_solar = row_c["cells"][0]
    assert (big_solar["spend"], big_solar["candidate"], big_solar["penetration"]) == (
        None,
        True,
        0.25,
    )
    every = whitespace_matrix(scope="all")
    assert [row["customer"].name for row in every["rows"]] == list("ABCDEF")
    solo = whitespace_matrix(scope="all", segment_id=ledger["e"].segment_id)
    assert [row["customer"].name for row in solo["rows"]] == ["E"]


def test_matrix_names_each_accounts_top_candidates(ledger):
    _decide(ledger, {"d": "key"})
    (row,) = whitespace_matrix()["rows"]
    assert row["candidate_count"] == 4
    assert [c["label"] for c in row["candidates"]] == ["Solar", "Big solar", "Cables"]
