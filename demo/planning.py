"""The demo's account planning: this year's plans for last year's key accounts, with
objectives at various progress (one bound to the ledger's revenue, tracked by the recompute
that follows the seed; one typed by hand) and actions, some overdue."""

import datetime as dt
from decimal import Decimal

from planning.models import Objective, PlanAction, PlanMetric, RelationshipStage
from planning.selectors import key_account_decisions, plan_get
from planning.services import (
    action_create,
    objective_create,
    objective_value_record,
    plan_start,
    plan_texts_save,
)

STAGES = list(RelationshipStage.values)
NEW_ACCOUNT_TARGET = Decimal(500_000_000)  # IDR
SWOT = {
    "customer_goals": "Cut supplier count by a third; shorter lead times for the new plant.",
    "our_goals": "Become the preferred supplier for coatings and keep the margin above 25%.",
    "strengths": "Technical service on site within 24 hours; long relationship with purchasing.",
    "weaknesses": "Price above the low-cost importer; invoices sometimes late.",
    "opportunities": "New plant opening next year; sealants bought elsewhere today.",
    "threats": "A competitor offers consignment stock; the purchasing director retires soon.",
}


def demo_plans_create(rng, *, previous_revenue: dict[int, Decimal], today: dt.date) -> int:
    """A plan for this year per key account (skipped where one exists: seeding twice adds
    nothing), written through planning's services as each account's owner."""
    created = 0
    for decision in key_account_decisions().values():
        customer = decision.customer
        owner = customer.owner
        if owner is None or plan_get(customer=customer, year=today.year) is not None:
            continue
        plan = plan_start(customer=customer, year=today.year, user=owner)
        plan_texts_save(
            plan=plan, user=owner, relationship_stage=str(rng.choice(STAGES[1:])), **SWOT
        )
        baseline = previous_revenue.get(customer.pk, Decimal(0)).quantize(Decimal(1))
        revenue = objective_create(
            plan=plan,
            user=owner,
            title="Grow revenue 20% over last year",
            owner=owner,
            measure="Revenue over the metrics period",
            metric=PlanMetric.REVENUE,
            baseline=baseline,
            # An account new last year starts from nothing: a first year's revenue to reach.
            target=(baseline * Decimal("1.2")).quantize(Decimal(1)) or NEW_ACCOUNT_TARGET,
            due_date=dt.date(today.year, 12, 31),
            status=Objective.Status.ACTIVE,
        )
        wallet = objective_create(
            plan=plan,
            user=owner,
            title="Raise our share of their coatings spend",
            owner=owner,
            measure="Share of wallet, % (purchasing's own figure)",
            baseline=Decimal(20),
            target=Decimal(35),
            due_date=dt.date(today.year, 12, 31),
            status=Objective.Status.ACTIVE,
        )
        share = Decimal(20)
        for months_back in (9, 6, 3):
            share += Decimal(int(rng.integers(-1, 6)))
            day = today - dt.timedelta(days=30 * months_back)
            objective_value_record(objective=wallet, user=owner, date=day, value=share)
        late = rng.random() < 0.4
        for objective, title, days in (
            (revenue, "Quarterly business review with purchasing", -20 if late else 25),
            (revenue, "Offer sealants trial for the new plant", 60),
            (wallet, "Joint cost-down workshop", -5 if late else 40),
        ):
            action_create(
                objective=objective,
                user=owner,
                title=title,
                owner=owner,
                due_date=today + dt.timedelta(days=days),
                status=PlanAction.Status.OPEN,
            )
        created += 1
    return created
