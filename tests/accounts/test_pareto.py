"""The metrics and tiering engine, against hand-computed ledgers."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from accounts.pareto import (
    LEDGER_COLUMNS,
    ParetoParams,
    curve_points,
    day_number,
    metrics_compute,
    tier_cutoff,
    tier_moves,
)

END = dt.date(2026, 6, 30)  # the period is July 2025 to June 2026


def ledger(*lines) -> pd.DataFrame:
    """Lines as (customer, invoice, date, amount[, cost[, days late]])."""
    rows = []
    for line in lines:
        customer, invoice, date, amount, *rest = line
        cost = rest[0] if len(rest) > 0 else np.nan
        late = rest[1] if len(rest) > 1 else np.nan
        rows.append((customer, invoice, day_number(date), float(amount), cost, late))
    return pd.DataFrame(rows, columns=LEDGER_COLUMNS)


def customers(*ids) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": list(ids), "code": [f"C{i:03d}" for i in ids]})


def compute(lines, ids, **params):
    out, summary = metrics_compute(
        lines=lines, customers=customers(*ids), params=ParetoParams(**params), period_end=END
    )
    return out, summary


def revenue_ledger(values: dict[int, float]) -> pd.DataFrame:
    return ledger(*[(c, f"I{c}", dt.date(2026, 5, 1), v) for c, v in values.items()])


def test_shares_cumulative_shares_and_tiers():
    out, _ = compute(revenue_ledger({1: 50, 2: 30, 3: 10, 4: 6, 5: 4}), [1, 2, 3, 4, 5])
    assert out["share"].round(4).tolist() == [0.5, 0.3, 0.1, 0.06, 0.04]
    assert out["cumulative_share"].round(4).tolist() == [0.5, 0.8, 0.9, 0.96, 1.0]
    assert out["rank"].tolist() == [1, 2, 3, 4, 5]
    # A holds the fewest customers that reach 80%; B those needed to reach 95%.
    assert out["tier"].tolist() == ["A", "A", "B", "B", "C"]


def test_the_customer_after_exactly_80_percent_is_tier_b():
    # 0.5 + 0.2 + 0.1 is 0.7999999999999999 in floating point; it still counts as 80%.
    out, _ = compute(revenue_ledger({1: 50, 2: 20, 3: 10, 4: 9, 5: 6, 6: 5}), [1, 2, 3, 4, 5, 6])
    assert out["cumulative_share"].round(4).tolist() == [0.5, 0.7, 0.8, 0.89, 0.95, 1.0]
    assert out["tier"].tolist() == ["A", "A", "A", "B", "B", "C"]


def test_thresholds_come_from_the_params():
    out, _ = compute(
        revenue_ledger({1: 50, 2: 30, 3: 20}), [1, 2, 3], tier_a_share=0.5, tier_b_share=0.8
    )
    assert out["tier"].tolist() == ["A", "B", "C"]


def test_tied_customers_across_a_cut_off_share_the_upper_tier_and_rank():
    # 70 | 10, 10 | 5, 5: alone, the second 10 would start at 80% and be B; tied, both are A.
    out, _ = compute(revenue_ledger({1: 70, 2: 10, 3: 10, 4: 5, 5: 5}), [1, 2, 3, 4, 5])
    assert out["tier"].tolist() == ["A", "A", "A", "B", "B"]
    assert out["rank"].tolist() == [1, 2, 2, 4, 4]
    assert out["cumulative_share"].round(4).tolist() == [0.7, 0.9, 0.9, 1.0, 1.0]


def test_the_largest_customer_is_tier_a_even_above_the_cut_off():
    out, _ = compute(revenue_ledger({1: 90, 2: 10}), [1, 2])
    assert out["tier"].tolist() == ["A", "B"]


def test_ties_are_listed_by_code_whatever_the_ledger_order():
    lines = revenue_ledger({3: 10, 1: 70, 2: 10, 4: 5, 5: 5})
    first, _ = compute(lines, [5, 4, 3, 2, 1])
    second, _ = compute(lines.sample(frac=1, random_state=7), [1, 2, 3, 4, 5])
    assert first.index.tolist() == [1, 2, 3, 4, 5]
    pd.testing.assert_frame_equal(first, second)


def test_amounts_that_differ_below_a_cent_are_a_tie():
    lines = ledger(
        (1, "a", dt.date(2026, 5, 1), 0.1),
        (1, "b", dt.date(2026, 5, 1), 0.2),
        (2, "c", dt.date(2026, 5, 1), 0.3),
    )
    out, _ = compute(lines, [1, 2])
    assert out["rank"].tolist() == [1, 1]


def test_credits_that_make_revenue_negative_give_tier_c_and_no_share():
    lines = ledger(
        (1, "I1", dt.date(2026, 5, 1), 300),
        (2, "I2", dt.date(2026, 5, 1), 100),
        (2, "CN1", dt.date(2026, 5, 20), -150),
    )
    out, _ = compute(lines, [1, 2])
    assert out.loc[2, "revenue"] == -50
    assert out.loc[2, "share"] == 0
    assert out.loc[2, "tier"] == "C"
    # The other customer's share is of the positive total only.
    assert out.loc[1, "share"] == 1.0
    assert out.loc[1, "tier"] == "A"


def test_customer_with_no_lines_in_the_period_is_tier_c_with_zero_revenue():
    lines = ledger(
        (1, "I1", dt.date(2026, 5, 1), 300),
        (2, "I2", dt.date(2024, 1, 10), 500),  # before the previous period too
    )
    out, _ = compute(lines, [1, 2, 3])
    assert out.loc[2, ["revenue", "share", "tier", "invoices"]].tolist() == [0, 0, "C", 0]
    assert out.loc[3, ["revenue", "share", "tier", "stage"]].tolist() == [0, 0, "C", "none"]
    assert out.loc[3, "rank"] == 2  # ties with customer 2 at zero


def test_no_ledger_at_all_puts_everyone_in_tier_c():
    empty = pd.DataFrame(columns=LEDGER_COLUMNS)
    out, summary = metrics_compute(lines=empty, customers=customers(2, 1), params=ParetoParams())
    assert out.index.tolist() == [1, 2]
    assert set(out["tier"]) == {"C"}
    assert summary.period_end is None


def test_calendar_months_period_is_the_months_ending_with_the_last_ledger_month():
    lines = ledger(
        (1, "old", dt.date(2025, 6, 30), 1000),  # previous period
        (1, "in", dt.date(2025, 7, 1), 200),  # first day of the period
        (1, "last", dt.date(2026, 4, 15), 100),
    )
    out, summary = metrics_compute(
        lines=lines, customers=customers(1), params=ParetoParams(calendar_months=True)
    )
    assert summary.period_start == dt.date(2025, 5, 1)
    assert summary.period_end == dt.date(2026, 4, 15)
    assert out.loc[1, "revenue"] == 1300


def test_period_is_the_trailing_twelve_months_ending_on_the_last_ledger_date():
    lines = ledger(
        (1, "before", dt.date(2025, 12, 9), 1000),  # one day before the period
        (1, "first", dt.date(2025, 12, 10), 200),  # first day of the period
        (1, "last", dt.date(2026, 12, 9), 100),
        (1, "prev-first", dt.date(2024, 12, 10), 50),  # first day of the previous period
        (1, "prev-before", dt.date(2024, 12, 9), 7),  # before both periods
    )
    out, summary = metrics_compute(lines=lines, customers=customers(1), params=ParetoParams())
    assert summary.period_start == dt.date(2025, 12, 10)
    assert summary.period_end == dt.date(2026, 12, 9)
    assert out.loc[1, "revenue"] == 300
    assert out.loc[1, "previous_revenue"] == 1050
    assert out.loc[1, "growth"] == pytest.approx(300 / 1050 - 1)
    # 10 Dec-9 Jan holds "first", 10 Nov-9 Dec 2026 holds "last": two months of twelve.
    assert out.loc[1, "months_active"] == 2


def test_trailing_period_ending_on_a_month_end_is_whole_calendar_months():
    lines = ledger((1, "a", dt.date(2026, 2, 28), 10), (1, "b", dt.date(2025, 3, 1), 5))
    out, summary = metrics_compute(lines=lines, customers=customers(1), params=ParetoParams())
    assert summary.period_start == dt.date(2025, 3, 1)
    assert out.loc[1, "revenue"] == 15
    assert out.loc[1, "months_active"] == 2


def test_trailing_period_counts_months_back_from_the_end_day():
    # End 9 December: 9 Nov is in the second month back, 10 Nov in the first.
    lines = ledger(
        (1, "a", dt.date(2026, 11, 10), 10),
        (1, "b", dt.date(2026, 11, 9), 10),
        (2, "z", dt.date(2026, 12, 9), 1),
    )
    out, _ = metrics_compute(lines=lines, customers=customers(1, 2), params=ParetoParams())
    assert out.loc[1, "months_active"] == 2


def test_lapsed_in_a_trailing_period_means_no_purchase_in_the_last_months():
    end = dt.date(2026, 12, 9)
    # Three months back from 9 December is 9 September: a purchase on it is lapsed.
    on_bound = ledger((1, "p", dt.date(2025, 1, 1), 100), (1, "a", dt.date(2026, 9, 9), 100))
    after = ledger((1, "p", dt.date(2025, 1, 1), 100), (1, "a", dt.date(2026, 9, 10), 100))
    for lines, stage in ((on_bound, "lapsed"), (after, "steady")):
        lines = pd.concat([lines, ledger((2, "z", end, 1))])
        out, _ = metrics_compute(lines=lines, customers=customers(1, 2), params=ParetoParams())
        assert out.loc[1, "stage"] == stage


def test_revenue_previous_revenue_growth_and_average_monthly_revenue():
    lines = ledger(
        (1, "p1", dt.date(2024, 8, 1), 600),
        (1, "p2", dt.date(2025, 6, 30), 400),
        (1, "a", dt.date(2025, 7, 1), 900),
        (1, "b", dt.date(2026, 6, 30), 300),
        (1, "x", dt.date(2024, 6, 30), 5000),  # before the previous period
    )
    out, _ = compute(lines, [1])
    row = out.loc[1]
    assert row["revenue"] == 1200
    assert row["previous_revenue"] == 1000
    assert row["growth"] == pytest.approx(0.2)
    assert row["avg_monthly_revenue"] == 100
    assert row["first_purchase"] == dt.date(2024, 6, 30)
    assert row["last_purchase"] == dt.date(2026, 6, 30)


def test_margin_measure_ranks_by_amount_minus_cost():
    lines = ledger(
        (1, "a", dt.date(2026, 5, 1), 1000, 900),  # margin 100
        (2, "b", dt.date(2026, 5, 1), 500, 200),  # margin 300
    )
    out, _ = compute(lines, [1, 2], measure="margin")
    assert out.loc[1, "margin"] == 100
    assert out.loc[2, "value"] == 300
    assert out.index.tolist() == [2, 1]
    assert out.loc[2, "share"] == 0.75


def test_margin_counts_only_lines_with_a_cost():
    lines = ledger(
        (1, "a", dt.date(2026, 5, 1), 1000, 600),
        (1, "b", dt.date(2026, 5, 1), 1000),
        (2, "c", dt.date(2026, 5, 1), 1000),
    )
    out, _ = compute(lines, [1, 2])
    assert out.loc[1, "margin"] == 400
    assert np.isnan(out.loc[2, "margin"])


def test_invoices_count_distinct_invoices_not_lines():
    lines = ledger(
        (1, "A", dt.date(2026, 5, 1), 10),
        (1, "A", dt.date(2026, 5, 1), 20),
        (1, "B", dt.date(2026, 6, 1), 30),
    )
    out, _ = compute(lines, [1])
    assert out.loc[1, "invoices"] == 2


def test_months_active_count_months_with_net_purchases():
    lines = ledger(
        (1, "a", dt.date(2026, 1, 5), 100),
        (1, "b", dt.date(2026, 1, 25), 50),
        (1, "c", dt.date(2026, 2, 5), 100),
        (1, "cn", dt.date(2026, 2, 6), -100),  # February nets to zero
        (1, "d", dt.date(2026, 3, 5), 10),
        (1, "e", dt.date(2025, 6, 5), 10),  # outside the period
    )
    out, _ = compute(lines, [1])
    assert out.loc[1, "months_active"] == 2


def test_average_days_late_is_per_invoice_and_early_payment_counts_as_zero():
    lines = ledger(
        (1, "a", dt.date(2026, 5, 1), 10, np.nan, 20),
        (1, "a", dt.date(2026, 5, 1), 10, np.nan, 20),
        (1, "b", dt.date(2026, 5, 2), 10, np.nan, -5),
        (1, "c", dt.date(2026, 5, 3), 10),  # not paid yet: not counted
    )
    out, _ = compute(lines, [1])
    assert out.loc[1, "avg_days_late"] == 10  # (20 + 0) / 2


def monthly(customer, months, amount, start=dt.date(2025, 7, 1)):
    lines = []
    for offset in range(months):
        month = (start.month - 1 + offset) % 12 + 1
        year = start.year + (start.month - 1 + offset) // 12
        lines.append((customer, f"{customer}-{offset}", dt.date(year, month, 10), amount))
    return lines


def test_large_buyer_needs_the_top_tier_and_enough_months():
    lines = ledger(
        *monthly(2, 9, 500),  # 4500: tier A, 9 months
        *monthly(1, 10, 350),  # 3500: tier A (from 45%), 10 months
        *monthly(3, 12, 125),  # 1500: tier B (from 80%), 12 months
        *monthly(4, 2, 250),  # 500: tier C (from 95%)
    )
    out, _ = compute(lines, [1, 2, 3, 4])
    assert out["tier"].to_dict() == {2: "A", 1: "A", 3: "B", 4: "C"}
    assert out["large_buyer"].to_dict() == {2: False, 1: True, 3: False, 4: False}
    assert out["pareto_top"].to_dict() == {2: True, 1: True, 3: False, 4: False}
    widened, _ = compute(lines, [1, 2, 3, 4], large_buyer_tiers=("A", "B"))
    assert widened["large_buyer"].to_dict() == {2: False, 1: True, 3: True, 4: False}
    fewer, _ = compute(lines, [1, 2, 3, 4], large_buyer_min_months=9)
    assert fewer.loc[2, "large_buyer"]


def test_loyal_needs_three_years_and_monthly_revenue_above_the_median():
    lines = ledger(
        (1, "old1", dt.date(2023, 6, 30), 10),  # exactly three years before the end
        (1, "r1", dt.date(2026, 1, 1), 1200),  # 100 a month
        (2, "old2", dt.date(2023, 6, 30), 10),
        (2, "r2", dt.date(2026, 1, 1), 240),  # 20 a month: the median
        (3, "new3", dt.date(2023, 7, 1), 10),  # one day short of three years
        (3, "r3", dt.date(2026, 1, 1), 2400),
    )
    out, summary = compute(lines, [1, 2, 3, 4])
    assert summary.median_monthly_revenue == 100
    # Customer 1 is at the median (not above), customer 3 is too recent.
    assert out["loyal"].to_dict() == {3: False, 1: False, 2: False, 4: False}
    out, _ = compute(lines, [1, 2, 3], loyal_years=2)
    assert out.loc[3, "loyal"]
    assert not out.loc[1, "loyal"]


def test_loyal_customer_above_the_median():
    lines = ledger(
        (1, "old", dt.date(2020, 1, 1), 10),
        (1, "r1", dt.date(2026, 1, 1), 1200),
        (2, "r2", dt.date(2026, 1, 1), 240),
        (3, "r3", dt.date(2026, 1, 1), 120),
    )
    out, _ = compute(lines, [1, 2, 3])
    assert out.loc[1, "loyal"]


def test_late_payer_when_average_days_late_is_above_the_setting():
    lines = ledger(
        (1, "a", dt.date(2026, 5, 1), 10, np.nan, 16),
        (2, "b", dt.date(2026, 5, 1), 10, np.nan, 15),
        (3, "c", dt.date(2026, 5, 1), 10),
    )
    out, _ = compute(lines, [1, 2, 3])
    assert out["late_payer"].to_dict() == {1: True, 2: False, 3: False}


@pytest.mark.parametrize(
    ("lines", "stage"),
    [
        # First purchase within the period.
        ([(1, "a", dt.date(2025, 7, 1), 100), (1, "b", dt.date(2026, 5, 1), 100)], "new"),
        # Growth above 10%.
        ([(1, "p", dt.date(2025, 1, 1), 100), (1, "a", dt.date(2026, 6, 1), 111)], "growing"),
        # Bought before, nothing in the previous period, buying again.
        ([(1, "p", dt.date(2023, 1, 1), 100), (1, "a", dt.date(2026, 6, 1), 50)], "growing"),
        # Growth within ±10%.
        ([(1, "p", dt.date(2025, 1, 1), 100), (1, "a", dt.date(2026, 6, 1), 110)], "steady"),
        ([(1, "p", dt.date(2025, 1, 1), 100), (1, "a", dt.date(2026, 6, 1), 90)], "steady"),
        # Growth below -10%.
        ([(1, "p", dt.date(2025, 1, 1), 100), (1, "a", dt.date(2026, 6, 1), 89)], "declining"),
        # Last purchase in March: nothing in April, May, June.
        ([(1, "p", dt.date(2025, 1, 1), 100), (1, "a", dt.date(2026, 3, 31), 500)], "lapsed"),
        # A new customer who stopped buying is lapsed, not new.
        ([(1, "a", dt.date(2025, 8, 1), 100)], "lapsed"),
        # Only credits: never a purchase.
        ([(1, "cn", dt.date(2026, 6, 1), -100)], "none"),
    ],
)
def test_relationship_stage(lines, stage):
    other = (2, "z", END, 1)  # keeps the period ending on END
    out, _ = compute(ledger(*lines, other), [1, 2])
    assert out.loc[1, "stage"] == stage


def test_lapsed_months_come_from_the_params():
    lines = ledger(
        (1, "p", dt.date(2025, 1, 1), 100),
        (1, "a", dt.date(2026, 3, 31), 100),
        (2, "z", END, 1),
    )
    out, _ = compute(lines, [1, 2], lapsed_months=4)
    assert out.loc[1, "stage"] == "steady"


def test_tier_moves_count_changes_and_ignore_new_customers():
    previous = pd.Series({1: "A", 2: "B", 3: "C", 4: "B"})
    current = pd.Series({1: "B", 2: "B", 3: "A", 4: "A", 5: "A"})
    assert tier_moves(previous=previous, current=current) == {"A>B": 1, "B>A": 1, "C>A": 1}


def test_curve_points_are_thinned_and_keep_both_ends():
    cumulative = np.linspace(0.001, 1, 1000)
    points = curve_points(cumulative, max_points=11)
    assert points["x"][0] == 0 and points["y"][0] == 0
    assert points["x"][-1] == 100 and points["y"][-1] == 100
    assert len(points["x"]) == 12


def test_tier_cutoff_is_the_share_of_customers_up_to_the_tier():
    tiers = np.array(["A", "A", "B", "C", "C"])
    assert tier_cutoff(tiers=tiers, tier="A") == 40
    assert tier_cutoff(tiers=tiers, tier="B") == 60
