"""Reads of account plans: which accounts are key, the ledger metrics objectives are bound
to, each objective's progress against its target, and the stage the ledger suggests."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch

from accounts.models import Customer, CustomerMetrics, LedgerLine, Stage
from scoring.selectors import decisions_latest_decided

from ..models import AccountPlan, Box, Objective, ObjectiveValue, PlanAction, PlanMetric
from ..models import RelationshipStage as Rel

# The decisions (scoring's Decision.choice) that make an account a key account to plan.
KEY_CHOICES = (Box.KEY, Box.KEY_DEVELOPMENT)


def key_account_decisions() -> dict:
    """The accounts decided Key or Key development in the latest decided round, by id."""
    return {
        customer_id: decision
        for customer_id, decision in decisions_latest_decided().items()
        if decision.choice in KEY_CHOICES
    }


def objective_progress(
    *, baseline: Decimal, target: Decimal, actual: Decimal | None
) -> Decimal | None:
    """How far the measure has come from the baseline towards the target: 0 at the baseline,
    1 at the target, beyond 1 past it and below 0 when it went the wrong way. A target below
    the baseline (fewer returns, lower costs) works the same way. None without a value."""
    if actual is None or target == baseline:
        return None
    return (actual - baseline) / (target - baseline)


def product_group_counts(*, customer_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    """How many product groups each account bought in the period (one grouped query).

    Until product codes are grouped, each distinct product code is one group; lines
    without a code and returns (negative amounts) do not count.
    """
    lines = LedgerLine.objects.filter(
        customer_id__in=list(customer_ids),
        invoice_date__range=(start, end),
        amount__gt=0,
    ).exclude(product_code="")
    counts = lines.values("customer_id").annotate(groups=Count("product_code", distinct=True))
    return {row["customer_id"]: row["groups"] for row in counts}


def plan_metric_values(
    *, customer_ids, period: tuple[dt.date, dt.date] | None
) -> dict[int, dict[str, Decimal | None]]:
    """Each account's value of every plan metric from the latest recompute, by customer id:
    revenue, margin (None when costs are unknown), months with purchases and product groups
    bought over the metrics `period` (the run's). Accounts without metrics are absent."""
    customer_ids = list(customer_ids)
    rows = CustomerMetrics.objects.filter(customer_id__in=customer_ids).values(
        "customer_id", "revenue", "margin", "months_active"
    )
    groups = {}
    if period and period[0] and period[1]:
        groups = product_group_counts(customer_ids=customer_ids, start=period[0], end=period[1])
    return {
        row["customer_id"]: {
            PlanMetric.REVENUE: row["revenue"],
            PlanMetric.MARGIN: row["margin"],
            PlanMetric.MONTHS_ACTIVE: Decimal(row["months_active"]),
            PlanMetric.PRODUCT_GROUPS: Decimal(groups.get(row["customer_id"], 0)),
        }
        for row in rows
    }


def relationship_stage_suggested(*, metrics: CustomerMetrics | None) -> str | None:
    """The relationship stage the ledger suggests, from the recompute's stage and signals.

    No purchases, lapsed or new: a first approach. A loyal large continuous buyer that is
    not declining: high trust. Loyal or a large continuous buyer: high commitment. Any
    other buyer: a closer relationship. None before any recompute.
    """
    if metrics is None:
        return None
    if metrics.stage in (Stage.NONE, Stage.LAPSED, Stage.NEW):
        return Rel.FIRST_APPROACH
    if metrics.loyal and metrics.large_buyer and metrics.stage != Stage.DECLINING:
        return Rel.HIGH_TRUST
    if metrics.loyal or metrics.large_buyer:
        return Rel.HIGH_COMMITMENT
    return Rel.CLOSER


def plan_get(*, customer: Customer, year: int) -> AccountPlan | None:
    return AccountPlan.objects.filter(customer=customer, year=year).first()


def plan_years(*, customer: Customer) -> list[int]:
    """The years the account has a plan for, latest first."""
    return list(customer.plans.order_by("-year").values_list("year", flat=True))


def planning_users():
    """Who can own an objective or an action: the active users with a role."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__isnull=False)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@dataclass
class ObjectiveRow:
    objective: Objective
    values: list[ObjectiveValue]
    actual: Decimal | None
    progress: Decimal | None
    actions: list[tuple[PlanAction, bool]] = field(default_factory=list)

    @property
    def progress_percent(self) -> Decimal | None:
        return None if self.progress is None else self.progress * 100

    @property
    def overdue_actions(self) -> int:
        return sum(1 for _action, overdue in self.actions if overdue)


def plan_objective_rows(*, plan: AccountPlan, today: dt.date) -> list[ObjectiveRow]:
    """The plan's objectives, each with its dated values (oldest first), the latest as the
    actual, its progress, and its actions flagged overdue or not (three queries)."""
    objectives = plan.objectives.select_related("owner").prefetch_related(
        Prefetch("values", queryset=ObjectiveValue.objects.select_related("recorded_by")),
        Prefetch("actions", queryset=PlanAction.objects.select_related("owner")),
    )
    rows = []
    for objective in objectives:
        values = list(objective.values.all())
        actual = values[-1].value if values else None
        rows.append(
            ObjectiveRow(
                objective=objective,
                values=values,
                actual=actual,
                progress=objective_progress(
                    baseline=objective.baseline, target=objective.target, actual=actual
                ),
                actions=[(a, a.is_overdue(today=today)) for a in objective.actions.all()],
            )
        )
    return rows


@dataclass
class PlanIndexRow:
    customer: Customer
    decision: object | None  # scoring's Decision, read through its selectors
    glance: "PlanGlance | None"  # its plan for the year, at a glance


def plan_index_rows(*, year: int, today: dt.date) -> list[PlanIndexRow]:
    """The key accounts of the latest decided round, and every other account with a plan
    for the year, by name: each with its decision and its plan for the year at a glance
    (`plan_glance`, so the index counts objectives and overdue actions as My accounts does)."""
    decisions = key_account_decisions()
    planned = AccountPlan.objects.filter(year=year).values_list("customer_id", flat=True)
    customers = Customer.objects.filter(pk__in=set(decisions) | set(planned))
    customers = list(customers.select_related("owner").order_by("name", "code"))
    glances = plan_glance(customer_ids=[c.pk for c in customers], year=year, today=today)
    return [
        PlanIndexRow(customer=c, decision=decisions.get(c.pk), glance=glances.get(c.pk))
        for c in customers
    ]


@dataclass(frozen=True)
class PlanGlance:
    """An account's plan for the year at a glance: its objectives under way, their mean
    progress (of those with a value), and its overdue actions."""

    plan: AccountPlan
    objectives: int
    progress: Decimal | None
    overdue_actions: int

    @property
    def progress_percent(self) -> Decimal | None:
        return None if self.progress is None else self.progress * 100


def plan_glance(*, customer_ids, year: int, today: dt.date) -> dict[int, PlanGlance]:
    """Each listed account's plan for the year, by customer id (four queries whatever the
    number of accounts); accounts without a plan for the year are absent. Draft objectives
    are not yet under way and count for nothing."""
    plans = AccountPlan.objects.filter(customer_id__in=list(customer_ids), year=year)
    plans = plans.prefetch_related(
        Prefetch(
            "objectives",
            queryset=Objective.objects.exclude(status=Objective.Status.DRAFT).prefetch_related(
                "values", "actions"
            ),
        )
    )
    glances = {}
    for plan in plans:
        progresses, overdue = [], 0
        objectives = list(plan.objectives.all())
        for objective in objectives:
            values = list(objective.values.all())
            progress = objective_progress(
                baseline=objective.baseline,
                target=objective.target,
                actual=values[-1].value if values else None,
            )
            if progress is not None:
                progresses.append(progress)
            overdue += sum(
                1 for action in objective.actions.all() if action.is_overdue(today=today)
            )
        mean = sum(progresses, Decimal(0)) / len(progresses) if progresses else None
        glances[plan.customer_id] = PlanGlance(plan, len(objectives), mean, overdue)
    return glances
