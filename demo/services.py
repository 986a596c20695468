"""The demo company: customers, three years of ledger, competitors, two selection rounds,
and NPS survey answers for the key accounts.

Everything is drawn from a fixed random seed and written with keys that already exist on a
second run (codes, invoice numbers, unique ratings, round names), so seeding twice
duplicates nothing. Sign-in users are created only when asked (the command asks with
DEBUG on).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Competitor, LedgerLine

from .company import demo_customers_create, demo_ledger_lines_build, demo_users_create, month_start
from .data import COMPETITORS
from .nps import demo_nps_answers_create
from .planning import (
    demo_plans_create,
    demo_product_groups_create,
    demo_relationships_create,
)
from .rounds import demo_rounds_create


@dataclass
class DemoSummary:
    customers: int
    ledger_lines: int
    ratings: int
    plans: int
    users: list[str]


@transaction.atomic
def demo_company_seed(*, create_logins: bool, today: dt.date | None = None) -> DemoSummary:
    rng = np.random.default_rng(20261123)
    anchor = month_start(today or timezone.localdate(), 1)
    owners, logins = demo_users_create(create_logins=create_logins)
    customers = demo_customers_create(rng, owners)
    competitors = [Competitor.objects.get_or_create(name=name)[0] for name in COMPETITORS]
    lines = demo_ledger_lines_build(rng, customers, anchor)
    LedgerLine.objects.bulk_create(lines, ignore_conflicts=True, batch_size=2000)
    totals: dict[int, Decimal] = {}
    for line in lines:
        totals[line.customer_id] = totals.get(line.customer_id, Decimal(0)) + line.amount
    revenue = np.array([float(totals.get(customer.pk, 0)) for customer in customers])
    revenue_rank = revenue.argsort().argsort() / max(len(customers) - 1, 1)
    rating_count = demo_rounds_create(
        rng,
        customers=customers,
        competitors=competitors,
        revenue_rank=revenue_rank,
        today=today or timezone.localdate(),
    )
    demo_nps_answers_create(today=today or timezone.localdate())
    # Last year's revenue (the twelve months before the latest twelve): the plans' baseline.
    year_before = (month_start(anchor, 23), month_start(anchor, 11))
    previous_revenue: dict[int, Decimal] = {}
    for line in lines:
        if year_before[0] <= line.invoice_date < year_before[1]:
            previous_revenue[line.customer_id] = (
                previous_revenue.get(line.customer_id, Decimal(0)) + line.amount
            )
    plans = demo_plans_create(
        rng, previous_revenue=previous_revenue, today=today or timezone.localdate()
    )
    demo_relationships_create(rng, today=today or timezone.localdate())
    demo_product_groups_create(admin=get_user_model().objects.filter(username="admin").first())
    return DemoSummary(
        customers=len(customers),
        ledger_lines=len(lines),
        ratings=rating_count,
        plans=plans,
        users=logins,
    )
