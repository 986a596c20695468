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
    """The computed whitespace of every account, in flat frames keyed by integers (a group
    by its position in `groups`), so that the sorts and joins over every account and group
    stay numeric.

    `groups`: every group with spend in the period, ordered by name, `UNMAPPED` last.
    `cells`: one row per (customer_id, group_id) with spend: `units`, `buyer`, `segment_id`,
    `median2` (twice the segment buyers' median in units, so a whole number; -1 without
    one) and `upsell`.
    `segment_groups`: per (segment_id, group_id) with buyers: `buyers`, `accounts`,
    `penetration` (0 to 1) and `median2`.
    `candidates`: per (customer_id, group_id) the account does not buy but its segment does:
    `segment_id`, `buyers`, `penetration`; by customer, then penetration, highest first,
    then group (`UNMAPPED` last).
    """

    groups: list[str]
    cells: pd.DataFrame
    segment_groups: pd.DataFrame
    candidates: pd.DataFrame


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
    names = group_map.groups_of(spend["product_code"]).to_numpy()
    groups = sorted(set(names), key=lambda group: (group == UNMAPPED, group))
    frame = pd.DataFrame(
        {
            "customer_id": spend["customer_id"].to_numpy(dtype=np.int64),
            "group_id": pd.Index(groups).get_indexer(names).astype(np.int64),
            "units": spend["units"].to_numpy(dtype=np.int64),
        }
    )
    cells = frame.groupby(["customer_id", "group_id"], sort=True, as_index=False)["units"].sum()
    cells["segment_id"] = segments.reindex(cells["customer_id"]).to_numpy(dtype=np.int64)
    cells["buyer"] = cells["units"] > 0

    buyers = cells.loc[cells["buyer"] & (cells["segment_id"] != NO_SEGMENT)]
    by_segment_group = buyers.groupby(["segment_id", "group_id"], sort=True)["units"]
    segment_groups = by_segment_group.size().rename("buyers").reset_index()
    # Twice the median is a whole number of units: halves stay exact.
    segment_groups["median2"] = (by_segment_group.median().to_numpy() * 2).round().astype(np.int64)
    sizes = segments.loc[segments != NO_SEGMENT].value_counts()
    segment_groups["accounts"] = sizes.reindex(segment_groups["segment_id"]).to_numpy(
        dtype=np.int64
    )
    segment_groups["penetration"] = segment_groups["buyers"] / segment_groups["accounts"]

    width = len(groups)
    median2 = pd.Series(
        segment_groups["median2"].to_numpy(),
        index=segment_groups["segment_id"].to_numpy() * width + segment_groups["group_id"],
    )
    cell_keys = cells["segment_id"].to_numpy() * width + cells["group_id"].to_numpy()
    cells["median2"] = median2.reindex(cell_keys).fillna(-1).to_numpy(dtype=np.int64)
    # units < percent% of the median  <=>  200 * units < percent * median2: compared as
    # Python integers, so it stays exact whatever the amounts.
    rated = cells["buyer"].to_numpy() & (cells["median2"].to_numpy() >= 0)
    units = cells["units"].to_numpy()[rated].astype(object)
    medians = cells["median2"].to_numpy()[rated].astype(object)
    upsell = np.zeros(len(cells), dtype=bool)
    upsell[rated] = (200 * units < upsell_below_percent * medians).astype(bool)
    cells["upsell"] = upsell

    candidates = _candidates(
        segments=segments, segment_groups=segment_groups, cells=cells, width=width
    )
    return Whitespace(
        groups=groups, cells=cells, segment_groups=segment_groups, candidates=candidates
    )


def _candidates(
    *, segments: pd.Series, segment_groups: pd.DataFrame, cells: pd.DataFrame, width: int
) -> pd.DataFrame:
    """Every (account, group) its segment buys and it does not: one merge and an anti-join
    on integer keys, one sort."""
    accounts = pd.DataFrame(
        {"customer_id": segments.index.to_numpy(dtype=np.int64), "segment_id": segments.to_numpy()}
    )
    accounts = accounts.loc[accounts["segment_id"] != NO_SEGMENT]
    offered = segment_groups[["segment_id", "group_id", "buyers", "penetration"]]
    pairs = accounts.merge(offered, on="segment_id")
    pair_keys = pairs["customer_id"].to_numpy() * width + pairs["group_id"].to_numpy()
    bought = cells.loc[cells["buyer"]]
    bought_keys = bought["customer_id"].to_numpy() * width + bought["group_id"].to_numpy()
    pairs = pairs.loc[~np.isin(pair_keys, bought_keys)]
    # Group ids follow the groups' order (names, UNMAPPED last): the tie-break among equals.
    order = np.lexsort(
        (
            pairs["group_id"].to_numpy(),
            -pairs["penetration"].to_numpy(),
            pairs["customer_id"].to_numpy(),
        )
    )
    return pairs.iloc[order].reset_index(drop=True)


def units_decimal(units) -> Decimal:
    """Whole units of 1/10,000 as a Decimal amount."""
    return Decimal(int(units)).scaleb(-4)


def median_decimal(median2) -> Decimal:
    """A `median2` (twice the median, in units) as a Decimal amount."""
    return (Decimal(int(median2)) / 2).scaleb(-4)
