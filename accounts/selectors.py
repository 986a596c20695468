"""Reads of customers, the ledger, and the metrics and tiers computed from it."""

import datetime as dt

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kamapp.charts import INK, TIER_COLOURS

from . import pareto
from .models import (
    CompanySettings,
    Customer,
    CustomerMetrics,
    LedgerLine,
    MetricsRun,
    Tier,
    TierSnapshot,
)
from .money import plotly_separators
from .permissions import user_is_admin

# Sort keys of the customer list and the columns they order by.
CUSTOMER_SORTS = {
    "code": "code",
    "name": "name",
    "rank": "metrics__rank",
    "revenue": "metrics__value",
    "tier": "metrics__tier",
    "months": "metrics__months_active",
    "growth": "metrics__growth",
    "stage": "metrics__stage",
}
SIGNALS = ("large_buyer", "pareto_top", "loyal", "targeted", "late_payer")


def customer_list(
    *,
    owner=None,
    segment_id: int | None = None,
    query: str = "",
    tier: str = "",
    stage: str = "",
    signal: str = "",
    sort: str = "name",
) -> QuerySet:
    """Customers with their segment, owner and metrics, in one query."""
    customers = Customer.objects.select_related("segment", "owner", "metrics")
    if owner is not None:
        customers = customers.filter(owner=owner)
    if segment_id:
        customers = customers.filter(segment_id=segment_id)
    if query:
        customers = customers.filter(Q(name__icontains=query) | Q(code__icontains=query))
    if tier:
        customers = customers.filter(metrics__tier=tier)
    if stage:
        customers = customers.filter(metrics__stage=stage)
    if signal == "targeted":
        customers = customers.filter(competitor_targeted=True)
    elif signal in SIGNALS:
        customers = customers.filter(**{f"metrics__{signal}": True})
    field = CUSTOMER_SORTS.get(sort.removeprefix("-"), "name")
    order = (
        F(field).desc(nulls_last=True) if sort.startswith("-") else F(field).asc(nulls_last=True)
    )
    return customers.order_by(order, "code")


def customer_get(*, pk: int) -> Customer:
    return Customer.objects.select_related("segment", "owner", "metrics").get(pk=pk)


def customer_tier_history(*, customer_id: int, limit: int = 24) -> list[TierSnapshot]:
    """The customer's tier at each of the latest runs, newest first."""
    snapshots = TierSnapshot.objects.filter(customer_id=customer_id).select_related("run")
    return list(snapshots.order_by("-run__started_at", "-run_id")[:limit])


def ledger_counts() -> dict[str, int]:
    return {
        "customers": Customer.objects.count(),
        "ledger_lines": LedgerLine.objects.count(),
    }


def metrics_period(*, also_until: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """The metrics period the next recompute will use: (first day, last day), both included.

    It ends on the last date in the ledger as stored now, or on `also_until` if later (the
    last date of an import about to count), by the company's period setting
    (`pareto.period_start_of`, the rule the recompute applies); None with an empty ledger.
    """
    end = LedgerLine.objects.aggregate(last=Max("invoice_date"))["last"]
    if also_until is not None and (end is None or also_until > end):
        end = also_until
    if end is None:
        return None
    company = CompanySettings.load()
    start = pareto.period_start_of(
        period_end=end, months=company.period_months, calendar=company.period_calendar_months
    )
    return start, end


def metrics_run_latest() -> MetricsRun | None:
    """The latest run that finished well: the one the shown metrics come from."""
    return MetricsRun.objects.filter(status=MetricsRun.Status.SUCCEEDED).first()


def metrics_run_last() -> MetricsRun | None:
    """The latest run, whatever its status."""
    return MetricsRun.objects.select_related("started_by").first()


def metrics_run_panel(*, user, since: str) -> dict:
    """The recompute panel: the last run, whether the panel keeps polling (a run queued at
    `since`, an ISO time, has not started yet, or a run is under way), whether the run it
    waited for has finished, and whether the user may start one."""
    last = metrics_run_last()
    queued_at = parse_datetime(since) if since else None
    waiting = queued_at is not None and (last is None or last.started_at < queued_at)
    running = last is not None and last.status == MetricsRun.Status.RUNNING
    return {
        "last_run": last,
        "polling": waiting or running,
        # The run the panel waited for is over: the page's tiers are to be drawn again.
        "finished": queued_at is not None and not (waiting or running),
        "since": since,
        "can_recompute": user_is_admin(user),
    }


def tier_moves(*, run: MetricsRun | None) -> list[dict]:
    """The moves between tiers of a run, as rows for a table, upgrades first."""
    if run is None:
        return []
    moves = []
    for key, count in run.tier_moves.items():
        before, after = key.split(">")
        moves.append({"before": before, "after": after, "count": count})
    return sorted(moves, key=lambda move: (move["after"], move["before"]))


def tier_summary() -> list[dict]:
    """Count, value and share of the total of each tier, A to C."""
    rows = {
        row["tier"]: row
        for row in CustomerMetrics.objects.values("tier").annotate(
            customers=Count("pk"), value=Sum("value"), share=Sum("share")
        )
    }
    total = sum(row["customers"] for row in rows.values())
    summary = []
    for tier in Tier:
        row = rows.get(tier.value, {"customers": 0, "value": 0, "share": 0.0})
        summary.append(
            {
                "tier": tier.value,
                "customers": row["customers"],
                "customer_share": row["customers"] / total * 100 if total else 0.0,
                "value": row["value"] or 0,
                "share": (row["share"] or 0.0) * 100,
            }
        )
    return summary


def pareto_figure(*, measure_label: str) -> dict:
    """The plotly figure (data and layout) of the cumulative curve with the tier cut-offs."""
    rows = list(CustomerMetrics.objects.order_by("rank").values_list("cumulative_share", "tier"))
    cumulative = [share for share, _tier in rows]
    tiers = [tier for _share, tier in rows]
    curve = pareto.curve_points(cumulative)
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": _("Cumulative share of %(measure)s") % {"measure": measure_label},
            "x": curve["x"],
            "y": curve["y"],
            "line": {"color": INK, "width": 3},
            "hovertemplate": _("%(customers)s of customers: %(share)s")
            % {"customers": "%{x:.1f}%", "share": "%{y:.1f}%"}
            + "<extra></extra>",
        }
    ]
    shapes, annotations = [], []
    for tier in ("A", "B"):
        cutoff = pareto.tier_cutoff(tiers=tiers, tier=tier)
        if not cutoff:
            continue
        shapes.append(
            {
                "type": "line",
                "x0": cutoff,
                "x1": cutoff,
                "y0": 0,
                "y1": 100,
                "line": {"color": TIER_COLOURS[tier], "dash": "dash", "width": 2},
            }
        )
        annotations.append(
            {
                "x": cutoff,
                "y": 5,
                "text": _("end of tier %(tier)s") % {"tier": tier},
                "showarrow": False,
                "xanchor": "left",
                "font": {"color": TIER_COLOURS[tier]},
            }
        )
    layout = {
        "xaxis": {"title": {"text": _("Customers, largest first (%)")}, "range": [0, 100]},
        "yaxis": {"title": {"text": _("Cumulative share (%)")}, "range": [0, 101]},
        "shapes": shapes,
        "annotations": annotations,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "showlegend": False,
        "height": 460,
        "separators": plotly_separators(),
    }
    return {"data": data, "layout": layout}


def customer_export_rows(*, customers: QuerySet) -> list[tuple]:
    """The rows of the customer export, in one query."""
    return list(
        customers.values_list(
            "code",
            "name",
            "metrics__value",
            "metrics__revenue",
            "metrics__margin",
            "metrics__share",
            "metrics__cumulative_share",
            "metrics__rank",
            "metrics__tier",
            "metrics__months_active",
            "metrics__invoices",
            "metrics__growth",
            "metrics__avg_days_late",
            "metrics__large_buyer",
            "metrics__pareto_top",
            "metrics__loyal",
            "competitor_targeted",
            "metrics__late_payer",
            "metrics__stage",
        )
    )


def run_tier_changes(*, run: MetricsRun) -> list[dict]:
    """The customers whose tier this run changed: code, tier before (None: none before) and
    after, against the previous successful run."""
    previous = (
        MetricsRun.objects.filter(status=MetricsRun.Status.SUCCEEDED, started_at__lt=run.started_at)
        .order_by("-started_at", "-pk")
        .first()
    )
    before = dict(
        TierSnapshot.objects.filter(run=previous).values_list("customer_id", "tier")
        if previous
        else []
    )
    now = TierSnapshot.objects.filter(run=run).values_list("customer_id", "customer__code", "tier")
    return [
        {"customer": code, "from": before.get(customer_id), "to": tier}
        for customer_id, code, tier in now.order_by("customer__code")
        if before.get(customer_id) != tier
    ]
