"""Whitespace (get-keep-grow), free of Django: product codes into groups, and per account
what it buys, what its segment buys that it does not (cross-sell) and where it buys far
less than its segment (up-sell).

Money comes in as integer units of 1/10,000 (the ledger's four decimals), so sums and
comparisons are exact; callers turn units into Decimal for display (`units_decimal`).

Definitions (the whitespace pages say the same):
- a *buyer* of a group is an account whose net spend on it in the period is above zero
  (credit notes that cancel a purchase leave no buyer);
- a segment's *penetration* of a group is its buyers of the group over all of the
  segment's accounts (those without a purchase in the period included);
- a *cross-sell candidate* of an account is a group that at least one other account of
  its segment buys and it does not;
- an *up-sell signal* is a group the account buys for less than `upsell_below_percent` %
  of the median spend of its segment's buyers of the group (the account among them).
Accounts without a segment have no peers: no penetration, candidates or signals.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

# The group of a code no rule maps, without a fall-back prefix (and of a blank code);
# never a group an admin can name, since names are not blank.
UNMAPPED = ""
# A fall-back group (a code's first characters) is named by the prefix and this mark, so
# it never merges with a group an admin named.
FALLBACK_MARK = "…"
UNITS_PER_CURRENCY_UNIT = 10_000
NO_SEGMENT = -1


class How:
    """How a code found its group."""

    EXACT = "exact"
    PREFIX = "prefix"
    FALLBACK = "fallback"
    UNMAPPED = "unmapped"


@dataclass(frozen=True)
class GroupRule:
    pattern: str
    is_prefix: bool
    group: str


def code_key(code: str) -> str:
    """Codes and patterns compare trimmed and case-insensitively."""
    return code.strip().upper()


class GroupMap:
    """Resolves product codes: an exact rule, else the longest matching prefix rule, else
    the code's first `fallback_length` characters (when set), else `UNMAPPED`."""

    def __init__(self, rules: Iterable[GroupRule], fallback_length: int = 0):
        self.exact: dict[str, str] = {}
        prefixes: dict[str, str] = {}
        for rule in rules:
            target = self.exact if not rule.is_prefix else prefixes
            target[code_key(rule.pattern)] = rule.group
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[0]))
        self.fallback_length = fallback_length

    def resolve(self, code: str) -> tuple[str, str, str]:
        """(group, how, the rule's pattern or the fall-back prefix; blank for unmapped)."""
        key = code_key(code)
        if key in self.exact:
            return self.exact[key], How.EXACT, key
        for prefix, group in self.prefixes:
            if key.startswith(prefix):
                return group, How.PREFIX, prefix
        if self.fallback_length and key:
            prefix = key[: self.fallback_length]
            return prefix + FALLBACK_MARK, How.FALLBACK, prefix
        return UNMAPPED, How.UNMAPPED, ""

    def groups_of(self, codes: pd.Series) -> pd.Series:
        """Each code's group, resolving every distinct code once."""
        uniques, inverse = np.unique(codes.astype(str).to_numpy(), return_inverse=True)
        groups = np.array([self.resolve(code)[0] for code in uniques], dtype=object)
        return pd.Series(groups[inverse], index=codes.index)


@dataclass
class Whitespace:
    """The computed whitespace of every account.

    `cells`: one row per (customer_id, group) with spend, indexed by both: `units`,
    `buyer`, `segment_id`, `median2` (twice the segment buyers' median, in units, so it is
    an integer) and `upsell`.
    `segment_groups`: per (segment_id, group) with buyers: `buyers`, `accounts`,
    `penetration` (0 to 1) and `median2`.
    `candidates`: per (customer_id, group) the account does not buy but its segment does:
    `segment_id`, `buyers`, `penetration`; sorted by customer, then penetration, highest
    first.
    `groups`: every group with spend in the period, ordered by name, `UNMAPPED` last.
    """

    cells: pd.DataFrame
    segment_groups: pd.DataFrame
    candidates: pd.DataFrame
    groups: list[str]


def whitespace_compute(
    *,
    spend: pd.DataFrame,
    segments: pd.Series,
    group_map: GroupMap,
    upsell_below_percent: int,
) -> Whitespace:
    """`spend`: rows of (customer_id, product_code, units), e.g. the period's ledger summed
    per customer and code (a customer may have several rows per group). `segments`: every
    account's segment id by customer id (`NO_SEGMENT` for none), the ones without spend
    too, since they count in the segment's penetration."""
    spend = spend.loc[spend["customer_id"].isin(segments.index)]
    frame = pd.DataFrame(
        {
            "customer_id": spend["customer_id"].to_numpy(dtype=np.int64),
            "group": group_map.groups_of(spend["product_code"]).to_numpy(),
            "units": spend["units"].to_numpy(dtype=np.int64),
        }
    )
    cells = frame.groupby(["customer_id", "group"], sort=True)["units"].sum().to_frame()
    customer_ids = cells.index.get_level_values("customer_id")
    cells["segment_id"] = segments.reindex(customer_ids).to_numpy(dtype=np.int64)
    cells["buyer"] = cells["units"] > 0

    buyers = cells.loc[cells["buyer"] & (cells["segment_id"] != NO_SEGMENT)].reset_index()
    by_segment_group = buyers.groupby(["segment_id", "group"], sort=True)["units"]
    segment_groups = pd.DataFrame(
        {
            "buyers": by_segment_group.size(),
            # Twice the median is a whole number of units: halves stay exact.
            "median2": (by_segment_group.median() * 2).round().astype(np.int64),
        }
    )
    sizes = segments.loc[segments != NO_SEGMENT].value_counts()
    segment_groups["accounts"] = sizes.reindex(
        segment_groups.index.get_level_values("segment_id")
    ).to_numpy(dtype=np.int64)
    segment_groups["penetration"] = segment_groups["buyers"] / segment_groups["accounts"]

    medians = segment_groups["median2"].reindex(
        pd.MultiIndex.from_arrays(
            [cells["segment_id"].to_numpy(), cells.index.get_level_values("group")]
        )
    )
    cells["median2"] = medians.to_numpy()  # NaN where the account has no segment or buys none
    # units < percent% of the median  <=>  200 * units < percent * median2: compared as
    # Python integers, so it stays exact whatever the amounts.
    rated = cells["buyer"].to_numpy() & cells["median2"].notna().to_numpy()
    units = cells["units"].to_numpy()[rated].astype(object)
    median2 = cells["median2"].to_numpy()[rated].astype(np.int64).astype(object)
    upsell = np.zeros(len(cells), dtype=bool)
    upsell[rated] = (200 * units < upsell_below_percent * median2).astype(bool)
    cells["upsell"] = upsell

    candidates = _candidates(segments=segments, segment_groups=segment_groups, cells=cells)
    groups = sorted(set(cells.index.get_level_values("group")), key=lambda g: (g == UNMAPPED, g))
    return Whitespace(
        cells=cells, segment_groups=segment_groups, candidates=candidates, groups=groups
    )


def _candidates(
    *, segments: pd.Series, segment_groups: pd.DataFrame, cells: pd.DataFrame
) -> pd.DataFrame:
    """Every (account, group) its segment buys and it does not: one merge and an anti-join."""
    accounts = segments.loc[segments != NO_SEGMENT].rename("segment_id").rename_axis("customer_id")
    offered = segment_groups.reset_index()[["segment_id", "group", "buyers", "penetration"]]
    pairs = accounts.reset_index().merge(offered, on="segment_id")
    bought = cells.index[cells["buyer"].to_numpy()]
    pairs = pairs.loc[~pd.MultiIndex.from_frame(pairs[["customer_id", "group"]]).isin(bought)]
    pairs["unmapped"] = pairs["group"] == UNMAPPED  # named groups first among equals
    order = ["customer_id", "penetration", "unmapped", "group"]
    pairs = pairs.sort_values(order, ascending=[True, False, True, True])
    return pairs.drop(columns="unmapped").set_index(["customer_id", "group"])


def units_decimal(units) -> Decimal:
    """Whole units of 1/10,000 as a Decimal amount."""
    return Decimal(int(units)).scaleb(-4)


def median_decimal(median2) -> Decimal:
    """A `median2` (twice the median, in units) as a Decimal amount."""
    return (Decimal(int(median2)) / 2).scaleb(-4)
