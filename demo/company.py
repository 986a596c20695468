"""The demo company's people, customers and three years of sales ledger."""

import calendar
import datetime as dt
from decimal import Decimal

import numpy as np
from django.contrib.auth import get_user_model

from accounts.models import Customer, LedgerLine, Segment
from kamapp.roles import Role, role_group

from .data import (
    CUSTOMER_COUNT,
    DEMO_PASSWORD,
    MONTHS,
    NAME_FIRST,
    NAME_FORM,
    NAME_SECOND,
    PRODUCTS,
    SEGMENTS,
)


def month_start(anchor: dt.date, months_back: int) -> dt.date:
    month_index = anchor.year * 12 + anchor.month - 1 - months_back
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


def demo_users_create(*, create_logins: bool) -> tuple[list, list[str]]:
    """The sales managers who own accounts, and the login users created (DEBUG only)."""
    User = get_user_model()
    groups = {role: role_group(role) for role in Role}
    created = []
    owners = []
    logins = [
        ("admin", Role.ADMIN, {"is_staff": True, "is_superuser": True, "first_name": "Ayu"}),
        ("manager", Role.SALES_MANAGER, {"first_name": "Dewi", "last_name": "Santoso"}),
        ("team", Role.SELECTION_TEAM, {"first_name": "Rudi", "last_name": "Hartono"}),
    ]
    if create_logins:
        for username, role, fields in logins:
            user, was_created = User.objects.get_or_create(username=username, defaults=fields)
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(groups[role])
            created.append(username)
            if role == Role.SALES_MANAGER:
                owners.append(user)
    # Colleagues who own the other accounts; they cannot sign in until an admin sets a password.
    for username, first, last in [
        ("sari", "Sari", "Wijaya"),
        ("budi", "Budi", "Prasetyo"),
        ("rina", "Rina", "Kusuma"),
    ]:
        user, was_created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if was_created:
            user.set_unusable_password()
            user.save()
        user.groups.add(groups[Role.SALES_MANAGER])
        owners.append(user)
    return owners, created


def demo_customers_create(rng, owners) -> list[Customer]:
    segments = [
        Segment.objects.get_or_create(name=name, defaults={"description": description})[0]
        for name, description in SEGMENTS
    ]
    existing = {customer.code: customer for customer in Customer.objects.all()}
    new = []
    for number in range(1, CUSTOMER_COUNT + 1):
        code = f"C{number:04d}"
        name = (
            f"{NAME_FORM[number % len(NAME_FORM)]} {rng.choice(NAME_FIRST)} "
            f"{rng.choice(NAME_SECOND)} {number}"
        )
        segment = segments[int(rng.integers(len(segments)))]
        owner = owners[number % len(owners)]
        targeted = bool(rng.random() < 0.12)
        if code not in existing:
            new.append(
                Customer(
                    code=code, name=name, segment=segment, owner=owner, competitor_targeted=targeted
                )
            )
    Customer.objects.bulk_create(new)
    return list(Customer.objects.filter(code__startswith="C").order_by("code")[:CUSTOMER_COUNT])


def demo_ledger_lines_build(rng, customers, anchor: dt.date) -> list[LedgerLine]:
    """Three years of invoices with a Pareto skew: a lognormal spread of customer size."""
    yearly_revenue = rng.lognormal(mean=0.0, sigma=1.65, size=len(customers))
    yearly_revenue = yearly_revenue / yearly_revenue.sum() * 120_000_000_000  # IDR 120 bn a year
    lines = []
    invoice_seq = 0
    for index, customer in enumerate(customers):
        size_rank = float((yearly_revenue < yearly_revenue[index]).mean())
        # Big customers buy most months; small ones now and then.
        monthly_probability = 0.25 + 0.7 * size_rank
        first_month = int(
            rng.choice([MONTHS - 1, MONTHS - 1, MONTHS - 1, int(rng.integers(0, MONTHS))])
        )
        growth = rng.normal(0.0, 0.25)
        lapsed = rng.random() < 0.05
        late_days = int(rng.choice([0, 0, 0, 5, 20, 45]))
        for months_back in range(first_month, -1, -1):
            if lapsed and months_back < 4:
                break
            if rng.random() > monthly_probability:
                continue
            month = month_start(anchor, months_back)
            trend = (1 + growth) ** ((MONTHS - months_back) / 12)
            invoices = 1 + int(rng.poisson(1.5 * size_rank))
            for _ in range(invoices):
                invoice_seq += 1
                day = int(rng.integers(1, calendar.monthrange(month.year, month.month)[1] + 1))
                invoice_date = month.replace(day=day)
                invoice_value = (
                    yearly_revenue[index] * trend / (12 * monthly_probability * invoices)
                )
                product_count = int(rng.integers(1, 5))
                shares = rng.dirichlet(np.ones(product_count))
                credit = rng.random() < 0.02
                number = f"{'C' if credit else 'INV'}-{invoice_seq:07d}"
                for line_number, share in enumerate(shares, start=1):
                    quantity = Decimal(int(rng.integers(1, 200)))
                    amount = Decimal(str(round(invoice_value * share * (-0.1 if credit else 1), 2)))
                    cost = (amount * Decimal(str(round(rng.uniform(0.6, 0.85), 2)))).quantize(
                        Decimal("0.01")
                    )
                    due_date = invoice_date + dt.timedelta(days=30)
                    paid_date = due_date + dt.timedelta(days=int(rng.integers(-5, late_days + 1)))
                    lines.append(
                        LedgerLine(
                            customer=customer,
                            invoice_number=number,
                            line_key=str(line_number),
                            invoice_date=invoice_date,
                            amount=amount,
                            quantity=-quantity if credit else quantity,
                            product_code=str(rng.choice(PRODUCTS)),
                            cost=cost,
                            due_date=due_date,
                            paid_date=paid_date if paid_date <= anchor else None,
                        )
                    )
    return lines
