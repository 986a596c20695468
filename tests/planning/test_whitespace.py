"""The Django-free whitespace core: codes into groups, penetration, medians and signals."""

from decimal import Decimal

import pandas as pd

from planning.whitespace import (
    NO_SEGMENT,
    UNMAPPED,
    GroupMap,
    GroupRule,
    How,
    median_decimal,
    units_decimal,
    whitespace_compute,
)

RULES = [
    GroupRule("PV", True, "Solar"),
    GroupRule("PV-9", True, "Big solar"),
    GroupRule("PV-9X", False, "Odd one"),
]


def test_the_longest_prefix_wins_and_an_exact_code_wins_over_any_prefix():
    groups = GroupMap(RULES)
    assert groups.resolve("PV-100") == ("Solar", How.PREFIX, "PV")
    assert groups.resolve("PV-900") == ("Big solar", How.PREFIX, "PV-9")
    assert groups.resolve("PV-9X") == ("Odd one", How.EXACT, "PV-9X")
    assert groups.resolve("PV-9XL") == ("Big solar", How.PREFIX, "PV-9")


def test_codes_match_trimmed_and_whatever_their_case():
    assert GroupMap(RULES).resolve(" pv-9x ")[0] == "Odd one"


def test_an_unmapped_code_falls_back_to_its_prefix_or_to_unmapped():
    assert GroupMap(RULES).resolve("CBL-7") == (UNMAPPED, How.UNMAPPED, "")
    assert GroupMap(RULES, fallback_length=3).resolve("cbl-7") == ("CBL…", How.FALLBACK, "CBL")
    assert GroupMap(RULES, fallback_length=3).resolve("") == (UNMAPPED, How.UNMAPPED, "")


def _compute(rows, segments, percent=50):
    spend = pd.DataFrame(rows, columns=["customer_id", "product_code", "units"])
    return whitespace_compute(
        spend=spend,
        segments=pd.Series(segments),
        group_map=GroupMap(RULES),
        upsell_below_percent=percent,
    )


def test_an_even_number_of_buyers_has_the_mean_of_the_middle_two_as_median():
    # Buyers 14, 20, 40, 100: median 30, half of it 15.
    result = _compute(
        [(1, "PV-1", 14), (2, "PV-1", 20), (3, "PV-1", 40), (4, "PV-1", 100)],
        {1: 7, 2: 7, 3: 7, 4: 7, 5: 7},
    )
    assert result.groups == ["Solar"]
    (solar,) = result.segment_groups.to_dict("records")
    assert solar == {
        "segment_id": 7,
        "group_id": 0,
        "buyers": 4,
        "accounts": 5,
        "penetration": 0.8,
        "median2": 60,  # twice the median of 30 units of 1/10,000
    }
    assert median_decimal(solar["median2"]) == Decimal("0.003")
    assert result.cells["upsell"].tolist() == [True, False, False, False]
    assert result.candidates[["customer_id", "group_id"]].values.tolist() == [[5, 0]]


def test_spend_exactly_at_the_threshold_is_no_up_sell():
    # Buyers 15, 30, 45: median 30; 15 is not below half of it.
    result = _compute([(1, "PV-1", 15), (2, "PV-1", 30), (3, "PV-1", 45)], {1: 7, 2: 7, 3: 7})
    assert not result.cells["upsell"].any()


def test_several_codes_of_one_group_add_up_and_lines_of_unknown_accounts_are_left_out():
    result = _compute([(1, "PV-1", 10), (1, "pv-2", 5), (9, "PV-1", 99)], {1: NO_SEGMENT})
    assert result.cells[["customer_id", "group_id", "units"]].values.tolist() == [[1, 0, 15]]
    assert result.segment_groups.empty and result.candidates.empty


def test_candidates_are_ordered_by_penetration_then_name_with_unmapped_last():
    # Segment 7: account 1 buys nothing; 2 buys Solar, Big solar and an unmapped code; 3 Solar.
    result = _compute(
        [(2, "PV-1", 10), (2, "PV-900", 10), (2, "ZZ", 10), (3, "PV-1", 10), (1, "PV-1", -5)],
        {1: 7, 2: 7, 3: 7},
    )
    assert result.groups == ["Big solar", "Solar", UNMAPPED]
    first = result.candidates.loc[result.candidates["customer_id"] == 1]
    assert [result.groups[g] for g in first["group_id"]] == ["Solar", "Big solar", UNMAPPED]
    assert first["penetration"].round(4).tolist() == [0.6667, 0.3333, 0.3333]


def test_units_are_exact_decimals():
    assert units_decimal(9_575_775) == Decimal("957.5775")
    assert median_decimal(3) == Decimal("0.00015")
