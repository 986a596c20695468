"""Per-customer metrics, Pareto tiers, key-account signals and stages: pandas in, pandas out.

No Django here: `services.metrics_recompute` loads the ledger into a DataFrame with one
query, calls `metrics_compute`, and writes what it returns.

Rules (the settings named are `CompanySettings` fields):

- The period is the trailing `period_months` months ending on the last ledger date (or
  `period_end`): from that date minus `period_months` months plus one day, through it.
  The previous period is the same number of months just before it. Months inside the
  period (months active, lapsed) are counted back from the end date: the month ending on
  it, the month before that, ... When the end date is a month's last day, these are the
  calendar months (a period ending 30 June runs from 1 July). With
  `calendar_months`, the period is instead the `period_months` calendar months ending
  with the end date's month (up to the end date), the previous period the calendar months
  before it.
- The measure is revenue (sum of amounts, credits negative) or margin (amount minus cost,
  over the lines that have a cost). Growth, average monthly revenue and the loyal signal
  always use revenue.
- Rank and tiers: customers are sorted by the measure, rounded to cents, largest first.
  A customer's share is its measure over the sum of the positive measures; its cumulative
  share is the share of every customer ranked at or above it. Tier A is the fewest
  top customers that together reach `tier_a_share`: a customer is A while the customers
  ranked above it hold less than `tier_a_share`, so the customer that crosses the cut-off
  is A (the largest customer is always A). B likewise up to `tier_b_share`, C the rest. A
  customer with no positive measure in the period (no lines, or credits outweighing
  invoices) is tier C.
- Tie rule: customers with exactly the same measure (to the cent) form one block that
  shares one rank (the best position of the block: "1, 2, 2, 4"), one cumulative share
  (the one reached after the whole block) and one tier, decided by the customers ranked
  above the block: a block that straddles a cut-off goes entirely to the upper tier.
  Within a block, customers are listed by code. The result never depends on the order the
  ledger was read in.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

TIERS = ("A", "B", "C")
STAGES = ("new", "growing", "steady", "declining", "lapsed", "none")
# Float sums of shares: 0.5 + 0.2 + 0.1 must count as 80%, not 79.99...%.
_EPSILON = 1e-9
_EPOCH = np.datetime64("1970-01-01", "D")

LEDGER_COLUMNS = ("customer_id", "invoice", "day", "amount", "cost", "days_late")


@dataclass(frozen=True)
class ParetoParams:
    period_months: int = 12
    # False: the trailing months ending on the end date; True: whole calendar months.
    calendar_months: bool = False
    measure: str = "revenue"  # or "margin"
    tier_a_share: float = 0.80
    tier_b_share: float = 0.95
    large_buyer_tiers: tuple[str, ...] = ("A",)
    large_buyer_min_months: int = 10
    loyal_years: int = 3
    growing_growth: float = 0.10
    declining_growth: float = -0.10
    lapsed_months: int = 3
    late_payer_days: float = 15.0


@dataclass(frozen=True)
class PeriodSummary:
    period_start: dt.date | None
    period_end: dt.date | None
    median_monthly_revenue: float | None
    ledger_lines: int


def day_number(date: dt.date) -> int:
    """Days since 1970-01-01: how the ledger's dates arrive in `metrics_compute`."""
    return int((np.datetime64(date, "D") - _EPOCH).astype(np.int64))


def _date(day: float) -> dt.date | None:
    if pd.isna(day):
        return None
    return (_EPOCH + np.timedelta64(int(day), "D")).astype(dt.date)


def _years_before(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February
        return date.replace(year=date.year - years, day=28)


def _month_index(days: np.ndarray) -> np.ndarray:
    months = (_EPOCH + days.astype("timedelta64[D]")).astype("datetime64[M]")
    return months.astype(np.int64)


def _months_before(date: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier, on the month's last day where it is shorter;
    a month's last day maps to the earlier month's last day."""
    index = date.year * 12 + date.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    is_month_end = (date + dt.timedelta(days=1)).day == 1
    return dt.date(year, month, last_day if is_month_end else min(date.day, last_day))


def months_back(*, days: np.ndarray, period_end: dt.date, count: int, calendar: bool):
    """For each day up to `period_end`: how many whole months before the end it falls, 0
    for the month that ends on `period_end` (see the period rule above), capped at `count`."""
    if calendar:
        end_month = int(_month_index(np.array([day_number(period_end)]))[0])
        return np.minimum(end_month - _month_index(days), count)
    # Month k (k >= 1) ends on bounds[k - 1]: a day at or before it is k or more months back.
    bounds = np.array([day_number(_months_before(period_end, k)) for k in range(count, 0, -1)])
    return count - np.searchsorted(bounds, days, side="left")


def period_start_of(*, period_end: dt.date, months: int, calendar: bool) -> dt.date:
    if calendar:
        return _months_before(period_end.replace(day=1), months - 1)
    return _months_before(period_end, months) + dt.timedelta(days=1)


def metrics_compute(
    *,
    lines: pd.DataFrame,
    customers: pd.DataFrame,
    params: ParetoParams,
    period_end: dt.date | None = None,
) -> tuple[pd.DataFrame, PeriodSummary]:
    """Metrics, tier, signals and stage of every customer, indexed by customer id.

    `lines` has the `LEDGER_COLUMNS`: customer id, an invoice key (any hashable),
    the invoice date as a day number (`day_number`), amount, cost (NaN when unknown) and
    days late (paid minus due date, NaN when either is unknown). `customers` has
    `customer_id` and `code`; every customer gets a row, with or without lines.
    """
    lines = lines.loc[:, list(LEDGER_COLUMNS)]
    days = lines["day"].to_numpy(dtype=np.int64)
    if period_end is None and len(lines):
        period_end = _date(days.max())
    out = pd.DataFrame(index=pd.Index(customers["customer_id"].to_numpy(), name="customer_id"))
    out["code"] = customers["code"].to_numpy()
    if period_end is None:
        return _without_ledger(out), PeriodSummary(None, None, None, 0)

    end_day = day_number(period_end)
    period_months = params.period_months
    period_start = period_start_of(
        period_end=period_end, months=period_months, calendar=params.calendar_months
    )
    # Far enough back for the previous period and the lapsed rule; older days are capped.
    horizon = 2 * period_months + params.lapsed_months
    months = months_back(
        days=days, period_end=period_end, count=horizon, calendar=params.calendar_months
    )
    customer = lines["customer_id"].to_numpy()
    amount = lines["amount"].to_numpy(dtype=np.float64)
    in_time = days <= end_day
    in_period = in_time & (months < period_months)
    in_previous = in_time & (months >= period_months) & (months < 2 * period_months)
    purchase = in_time & (amount > 0)

    current = lines[in_period]
    revenue = current.groupby("customer_id")["amount"].sum()
    margin = (current["amount"] - current["cost"]).groupby(current["customer_id"]).sum(min_count=1)
    previous = pd.Series(amount[in_previous]).groupby(customer[in_previous]).sum()
    invoices = current.groupby(["customer_id", "invoice"], sort=False).agg(
        days_late=("days_late", "max")
    )
    invoice_customer = invoices.index.get_level_values("customer_id")
    late = invoices["days_late"].clip(lower=0)
    monthly = pd.Series(amount[in_period]).groupby([customer[in_period], months[in_period]]).sum()
    active = monthly[monthly > 0].groupby(level=0).size()
    first = pd.Series(days[purchase]).groupby(customer[purchase]).min()
    last = pd.Series(days[purchase]).groupby(customer[purchase]).max()

    out["revenue"] = revenue.reindex(out.index, fill_value=0.0).round(2)
    out["margin"] = margin.reindex(out.index).round(2)
    out["previous_revenue"] = previous.reindex(out.index, fill_value=0.0).round(2)
    out["invoices"] = pd.Series(1, index=invoice_customer).groupby(level=0).size()
    out["invoices"] = out["invoices"].fillna(0).astype(np.int64)
    out["months_active"] = active.reindex(out.index, fill_value=0).astype(np.int64)
    out["first_day"] = first.reindex(out.index)
    out["last_day"] = last.reindex(out.index)
    out["avg_days_late"] = late.groupby(invoice_customer).mean().reindex(out.index).round(1)
    value = out["margin"].fillna(0.0) if params.measure == "margin" else out["revenue"]
    out = _tiers(out, value=value, params=params)

    out["avg_monthly_revenue"] = (out["revenue"] / params.period_months).round(2)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = (out["revenue"] - out["previous_revenue"]) / out["previous_revenue"]
    out["growth"] = growth.where(out["previous_revenue"] > 0)
    buyers = out.loc[out["revenue"] > 0, "avg_monthly_revenue"]
    median = float(buyers.median()) if len(buyers) else None
    loyal_before = day_number(_years_before(period_end, params.loyal_years))

    out["pareto_top"] = out["tier"] == "A"
    out["large_buyer"] = out["tier"].isin(params.large_buyer_tiers) & (
        out["months_active"] >= params.large_buyer_min_months
    )
    out["loyal"] = (out["first_day"] <= loyal_before) & (
        out["avg_monthly_revenue"] > (median if median is not None else np.inf)
    )
    out["late_payer"] = out["avg_days_late"] > params.late_payer_days
    last_months_back = months_back(
        days=out["last_day"].fillna(0).to_numpy(dtype=np.int64),
        period_end=period_end,
        count=horizon,
        calendar=params.calendar_months,
    )
    out["stage"] = _stages(
        out,
        params=params,
        last_months_back=last_months_back,
        period_start_day=day_number(period_start),
    )
    out["first_purchase"] = [_date(day) for day in out["first_day"]]
    out["last_purchase"] = [_date(day) for day in out["last_day"]]
    out = out.drop(columns=["first_day", "last_day"])
    summary = PeriodSummary(period_start, period_end, median, int(in_period.sum()))
    return out.sort_values("order").drop(columns="order"), summary


def _tiers(out: pd.DataFrame, *, value: pd.Series, params: ParetoParams) -> pd.DataFrame:
    """Rank, share, cumulative share and tier by the measure (see the tie rule above)."""
    out["value"] = value.round(2)
    ordered = out.sort_values(["value", "code"], ascending=[False, True], kind="mergesort")
    values = ordered["value"].to_numpy()
    positive = np.clip(values, 0, None)
    total = positive.sum()
    share = positive / total if total > 0 else np.zeros_like(positive)
    cumulative = np.cumsum(share)
    # Blocks of equal values: each row takes the block's first position, the cumulative
    # share before the block (for its tier) and after the block (shown).
    block_start = np.r_[True, values[1:] != values[:-1]]
    block_id = np.cumsum(block_start) - 1
    first_position = np.flatnonzero(block_start)
    last_position = np.r_[first_position[1:], len(values)] - 1
    rank = first_position[block_id] + 1
    before = (cumulative - share)[first_position[block_id]] if len(values) else cumulative
    cumulative = cumulative[last_position[block_id]] if len(values) else cumulative
    tier = np.where(
        before < params.tier_a_share - _EPSILON,
        "A",
        np.where(before < params.tier_b_share - _EPSILON, "B", "C"),
    )
    tier = np.where(values > 0, tier, "C")
    columns = {
        "share": share,
        "cumulative_share": cumulative,
        "rank": rank,
        "tier": tier,
        "order": np.arange(len(values)),
    }
    ranked = pd.DataFrame(columns, index=ordered.index)
    return out.join(ranked)


def _stages(
    out: pd.DataFrame, *, params: ParetoParams, last_months_back: np.ndarray, period_start_day: int
) -> np.ndarray:
    growth = out["growth"]
    no_previous = out["previous_revenue"] <= 0
    conditions = [
        out["first_day"].isna(),
        last_months_back >= params.lapsed_months,
        out["first_day"] >= period_start_day,
        growth < params.declining_growth,
        (growth > params.growing_growth) | (no_previous & (out["revenue"] > 0)),
    ]
    choices = ["none", "lapsed", "new", "declining", "growing"]
    return np.select(conditions, choices, default="steady")


def _without_ledger(out: pd.DataFrame) -> pd.DataFrame:
    ordered = out.sort_values("code", kind="mergesort")
    zero = np.zeros(len(ordered))
    columns = {
        "revenue": zero,
        "margin": np.nan,
        "previous_revenue": zero,
        "invoices": 0,
        "months_active": 0,
        "avg_days_late": np.nan,
        "value": zero,
        "share": zero,
        "cumulative_share": zero,
        "rank": 1,
        "tier": "C",
        "avg_monthly_revenue": zero,
        "growth": np.nan,
        "pareto_top": False,
        "large_buyer": False,
        "loyal": False,
        "late_payer": False,
        "stage": "none",
        "first_purchase": None,
        "last_purchase": None,
    }
    return ordered.assign(**columns)


def tier_moves(*, previous: pd.Series, current: pd.Series) -> dict[str, int]:
    """How many customers moved between tiers, as {"A>B": n}; new customers are not moves."""
    both = pd.DataFrame({"before": previous, "after": current}).dropna()
    moved = both[both["before"] != both["after"]]
    counts = moved.groupby(["before", "after"]).size()
    return {f"{before}>{after}": int(n) for (before, after), n in counts.items()}


def curve_points(cumulative_share: np.ndarray, *, max_points: int = 500) -> dict[str, list]:
    """The Pareto curve: share of customers (x) against cumulative share (y), both in %.

    Customers must come in rank order. Long curves are thinned to `max_points` evenly
    spaced customers, always keeping the first and the last.
    """
    count = len(cumulative_share)
    if count == 0:
        return {"x": [0.0], "y": [0.0]}
    positions = np.unique(np.linspace(0, count - 1, min(count, max_points)).round().astype(int))
    x = (positions + 1) / count * 100
    y = np.asarray(cumulative_share, dtype=float)[positions] * 100
    return {"x": [0.0, *x.round(3).tolist()], "y": [0.0, *y.round(3).tolist()]}


def tier_cutoff(*, tiers: np.ndarray, tier: str) -> float:
    """Share of customers (%) ranked at or above the last customer of `tier`."""
    positions = np.flatnonzero(np.asarray(tiers) == tier)
    if not len(positions):
        return 0.0
    return float((positions[-1] + 1) / len(tiers) * 100)
