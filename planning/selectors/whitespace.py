"""Reads for whitespace: the product-group mapping, the period's spend per account and
product group (one grouped query), and the matrix and one account's whitespace built from
it by `planning.whitespace`."""

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BigIntegerField, Count, F, Sum, Value
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext as _

from accounts.models import Customer, LedgerLine, Segment
from accounts.selectors import metrics_period
from scoring.selectors import decisions_latest_decided, round_latest_decided

from .. import whitespace
from ..models import Box, ProductGroupRule, WhitespaceSettings

MATRIX_PAGE_SIZE = 50
# Cross-sell candidates named beside each account on the matrix (all are on its own page).
MATRIX_TOP_CANDIDATES = 3
CODES_SHOWN = 200
KEY_BOXES = (Box.KEY, Box.KEY_DEVELOPMENT)


def product_group_rules() -> list[ProductGroupRule]:
    return list(ProductGroupRule.objects.order_by("group", "pattern", "is_prefix"))


def group_map_load(*, config: WhitespaceSettings | None = None) -> whitespace.GroupMap:
    config = config or WhitespaceSettings.load()
    rules = [
        whitespace.GroupRule(pattern=p, is_prefix=prefix, group=g)
        for p, prefix, g in ProductGroupRule.objects.values_list("pattern", "is_prefix", "group")
    ]
    return whitespace.GroupMap(rules, fallback_length=config.fallback_prefix_length)


def group_label(group: str) -> str:
    return _("Unmapped") if group == whitespace.UNMAPPED else group


def _period_lines(period: tuple[dt.date, dt.date]):
    return LedgerLine.objects.filter(invoice_date__range=period).order_by()


def _spend_frame(period: tuple[dt.date, dt.date]) -> pd.DataFrame:
    """(customer_id, product_code, units) of the period: the ledger summed per customer and
    code in the database, in whole 1/10,000 units (exact sums on either database)."""
    line_units = Cast(
        Round(F("amount") * Value(whitespace.UNITS_PER_CURRENCY_UNIT)), BigIntegerField()
    )
    query = (
        _period_lines(period)
        .values("customer_id", "product_code")
        .annotate(units=Cast(Sum(line_units), BigIntegerField()))
        .values_list("customer_id", "product_code", "units")
    )
    # The ORM writes the SQL (only the lines of finished imports); the rows come straight
    # from the cursor, without a model field's conversion per row.
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pd.DataFrame.from_records(rows, columns=["customer_id", "product_code", "units"])


def _segments_series() -> pd.Series:
    rows = Customer.objects.values_list("pk", "segment_id")
    frame = pd.DataFrame.from_records(list(rows), columns=["customer_id", "segment_id"])
    segment = frame["segment_id"].fillna(whitespace.NO_SEGMENT).astype("int64")
    return pd.Series(segment.to_numpy(), index=frame["customer_id"].to_numpy())


@dataclass
class WhitespaceData:
    """The period, the settings and every account's computed whitespace."""

    period: tuple[dt.date, dt.date] | None
    config: WhitespaceSettings
    segments: pd.Series
    result: whitespace.Whitespace

    def segment_of(self, customer_id: int) -> int:
        return int(self.segments.get(customer_id, whitespace.NO_SEGMENT))


def whitespace_load() -> WhitespaceData:
    """Every account's whitespace over the metrics period: one grouped query over the ledger,
    one for the accounts' segments, one pandas pass."""
    config = WhitespaceSettings.load()
    period = metrics_period()
    spend = (
        _spend_frame(period)
        if period
        else pd.DataFrame({"customer_id": [], "product_code": [], "units": []})
    )
    segments = _segments_series()
    result = whitespace.whitespace_compute(
        spend=spend,
        segments=segments,
        group_map=group_map_load(config=config),
        upsell_below_percent=config.upsell_below_percent,
    )
    return WhitespaceData(period=period, config=config, segments=segments, result=result)


def _key_account_ids() -> dict[int, str]:
    """The accounts decided Key or Key development in the latest decided round: their box."""
    return {
        customer_id: decision.choice
        for customer_id, decision in decisions_latest_decided().items()
        if decision.choice in KEY_BOXES
    }


@dataclass
class _Lookups:
    """The computed frames of some accounts as dictionaries, for building their rows."""

    spend: dict[tuple[int, int], tuple[int, bool, bool]]
    offered: dict[tuple[int, int], tuple[float, int, int, int]]
    candidates: dict[int, list[tuple[int, float, int]]]


def _lookups(data: WhitespaceData, ids: list[int]) -> _Lookups:
    result = data.result
    cells = result.cells.loc[result.cells["customer_id"].isin(ids)]
    candidates = result.candidates.loc[result.candidates["customer_id"].isin(ids)]
    by_account: dict[int, list[tuple[int, float, int]]] = {}
    for customer_id, group_id, penetration, buyers in zip(
        candidates["customer_id"].tolist(),
        candidates["group_id"].tolist(),
        candidates["penetration"].tolist(),
        candidates["buyers"].tolist(),
        strict=True,
    ):
        by_account.setdefault(customer_id, []).append((group_id, penetration, buyers))
    offered = result.segment_groups
    return _Lookups(
        spend={
            (c, g): (u, b, up)
            for c, g, u, b, up in zip(
                cells["customer_id"].tolist(),
                cells["group_id"].tolist(),
                cells["units"].tolist(),
                cells["buyer"].tolist(),
                cells["upsell"].tolist(),
                strict=True,
            )
        },
        offered={
            (sid, g): (p, b, a, m)
            for sid, g, p, b, a, m in zip(
                offered["segment_id"].tolist(),
                offered["group_id"].tolist(),
                offered["penetration"].tolist(),
                offered["buyers"].tolist(),
                offered["accounts"].tolist(),
                offered["median2"].tolist(),
                strict=True,
            )
        },
        candidates=by_account,
    )


def _candidate_rows(data: WhitespaceData, candidates: list[tuple[int, float, int]]) -> list[dict]:
    groups = data.result.groups
    return [
        {
            "group": groups[group_id],
            "label": group_label(groups[group_id]),
            "penetration": penetration,
            "buyers": buyers,
        }
        for group_id, penetration, buyers in candidates
    ]


def _account_cells(
    data: WhitespaceData, lookups: _Lookups, customer_id: int, group_ids
) -> list[dict]:
    """One entry per group: the account's spend (None: it buys none), whether it is far below
    the segment's median, the median, and the segment's penetration."""
    segment_id = data.segment_of(customer_id)
    cells = []
    for group_id in group_ids:
        group = data.result.groups[group_id]
        cell = {"group": group, "label": group_label(group), "spend": None, "buyer": False}
        cell |= {"upsell": False, "median": None, "candidate": False}
        own = lookups.spend.get((customer_id, group_id))
        if own is not None:
            units, cell["buyer"], cell["upsell"] = own
            cell["spend"] = whitespace.units_decimal(units)
        offered = lookups.offered.get((segment_id, group_id))
        if offered is not None:
            cell["penetration"], cell["buyers"], cell["accounts"], median2 = offered
            cell["median"] = whitespace.median_decimal(median2)
            cell["candidate"] = not cell["buyer"]
        cells.append(cell)
    return cells


def whitespace_matrix(
    *, scope: str = "key", segment_id: int | None = None, page: str | int | None = 1
) -> dict:
    """The matrix page: the chosen accounts (the key accounts by default, or all; within one
    segment if given), a page of them with their spend per group, up-sell signals and
    cross-sell candidates, and every group with spend in the period as the columns."""
    data = whitespace_load()
    key_ids = _key_account_ids()
    customers = Customer.objects.order_by("name", "code")
    if segment_id:
        customers = customers.filter(segment_id=segment_id)
    if scope != "all":
        customers = customers.filter(pk__in=list(key_ids))
    page_obj = Paginator(customers.values_list("pk", flat=True), MATRIX_PAGE_SIZE).get_page(page)
    ids = list(page_obj.object_list)
    accounts = Customer.objects.select_related("segment", "owner").in_bulk(ids)
    lookups = _lookups(data, ids)
    group_ids = range(len(data.result.groups))
    rows = []
    for customer_id in ids:
        cells = _account_cells(data, lookups, customer_id, group_ids)
        candidates = lookups.candidates.get(customer_id, [])
        box = key_ids.get(customer_id, "")
        rows.append(
            {
                "customer": accounts[customer_id],
                "box": box,
                "box_label": Box(box).label if box else "",
                "cells": cells,
                "upsells": sum(cell["upsell"] for cell in cells),
                "candidates": _candidate_rows(data, candidates[:MATRIX_TOP_CANDIDATES]),
                "candidate_count": len(candidates),
            }
        )
    return {
        "period": data.period,
        "config": data.config,
        "groups": [{"key": group, "label": group_label(group)} for group in data.result.groups],
        "page": page_obj,
        "rows": rows,
        "segments": list(Segment.objects.order_by("name")),
        "decided_round": round_latest_decided(),
    }


def whitespace_account(*, customer: Customer) -> dict:
    """One account's whitespace: every group its segment or it buys, with its spend, the
    segment's penetration and median, its up-sell signals and its cross-sell candidates."""
    data = whitespace_load()
    lookups = _lookups(data, [customer.pk])
    segment_id = data.segment_of(customer.pk)
    group_ids = sorted(
        {group_id for _customer_id, group_id in lookups.spend}
        | {group_id for sid, group_id in lookups.offered if sid == segment_id}
    )
    cells = _account_cells(data, lookups, customer.pk, group_ids)
    box = _key_account_ids().get(customer.pk, "")
    return {
        "period": data.period,
        "config": data.config,
        "cells": cells,
        "candidates": _candidate_rows(data, lookups.candidates.get(customer.pk, [])),
        "upsells": [cell for cell in cells if cell["upsell"]],
        "box": box,
        "box_label": Box(box).label if box else "",
        "segment_size": 0
        if segment_id == whitespace.NO_SEGMENT
        else int((data.segments == segment_id).sum()),
    }


def product_codes_seen(*, limit: int = CODES_SHOWN) -> dict:
    """The product codes of the metrics period, most lines first, each with the group it
    falls into and how (an exact rule, a prefix rule, the fall-back prefix, unmapped)."""
    period = metrics_period()
    if period is None:
        return {"period": None, "codes": [], "total": 0}
    group_map = group_map_load()
    rows = (
        _period_lines(period)
        .values("product_code")
        .annotate(lines=Count("pk"))
        .order_by("-lines", "product_code")
    )
    total = rows.count()
    codes = []
    for row in rows[:limit]:
        group, how, matched = group_map.resolve(row["product_code"])
        codes.append(
            {
                "code": row["product_code"],
                "lines": row["lines"],
                "group": group_label(group),
                "how": how,
                "matched": matched,
            }
        )
    return {"period": period, "codes": codes, "total": total}
