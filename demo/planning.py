"""The demo's account planning: this year's plans for last year's key accounts, with
objectives at various progress (one bound to the ledger's revenue, tracked by the recompute
that follows the seed; one typed by hand) and actions, some overdue; their people and
contact log; the product codes grouped for the whitespace matrix."""

import datetime as dt
from decimal import Decimal

from planning.models import (
    Contact,
    ContactLogEntry,
    Objective,
    PlanAction,
    PlanMetric,
    ProductGroupRule,
    RelationshipStage,
)
from planning.selectors import key_account_decisions, plan_get
from planning.services import (
    action_create,
    contact_create,
    contact_log_record,
    objective_create,
    objective_value_record,
    plan_start,
    plan_texts_save,
    product_groups_save,
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


# (title, function, role in buying, reports to: index of an earlier person or None)
ORG = [
    ("President director", "Board", Contact.BuyingRole.SPONSOR, None),
    ("Operations director", "Operations", Contact.BuyingRole.DECISION_MAKER, 0),
    ("Purchasing manager", "Purchasing", Contact.BuyingRole.INFLUENCER, 1),
    ("Plant manager", "Production", Contact.BuyingRole.USER, 1),
    ("Senior buyer", "Purchasing", Contact.BuyingRole.GATEKEEPER, 2),
]
GIVEN = ["Andi", "Dewi", "Hendra", "Lestari", "Bayu", "Putri", "Rudi", "Sinta", "Wahyu", "Yuni"]
FAMILY = ["Santoso", "Wijaya", "Kusuma", "Halim", "Pratama", "Gunawan", "Setiawan", "Hartono"]


def demo_relationships_create(rng, *, today: dt.date) -> int:
    """The key accounts' people as an org chart (some without an executive sponsor, so the
    map flags the gap) and a contact log: most accounts seen lately, some not for weeks, so
    the nightly cadence check has accounts to flag. Accounts that already have people are
    left as they are."""
    created = 0
    for decision in key_account_decisions().values():
        customer = decision.customer
        owner = customer.owner
        if owner is None or customer.contacts.exists():
            continue
        people = []
        with_sponsor = rng.random() < 0.7
        for index, (title, function, role, boss) in enumerate(ORG):
            if index == 0 and not with_sponsor:
                people.append(None)
                continue
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            people.append(
                contact_create(
                    customer=customer,
                    user=owner,
                    name=name,
                    title=title,
                    function=function,
                    email=f"{name.split()[0].lower()}.{index}@{customer.code.lower()}.example",
                    buying_role=role,
                    stance=str(rng.choice(Contact.Stance.values[:4])),
                    reports_to=people[boss] if boss is not None else None,
                    relationship_owner=owner,
                )
            )
        known = [person for person in people if person is not None]
        # Most accounts were seen within the last ten days; some not for one to three months.
        last = int(rng.integers(1, 10)) if rng.random() < 0.6 else int(rng.integers(30, 90))
        for days_back in sorted({last, last + 21, last + 45, last + 80}, reverse=True):
            contact_log_record(
                customer=customer,
                user=owner,
                date=today - dt.timedelta(days=days_back),
                contact=known[int(rng.integers(0, len(known)))],
                channel=str(rng.choice(ContactLogEntry.Channel.values[:4])),
                touch_point=str(rng.choice(ContactLogEntry.TouchPoint.values)),
                note="Reviewed open orders and next quarter's needs.",
            )
        created += 1
    return created


PRODUCT_GROUPS = """P00* = Coatings
P01* = Sealants
P02* = Adhesives
P03* = Cleaners
P040 = Technical service"""


def demo_product_groups_create(*, admin) -> None:
    """The demo's product codes grouped (by prefix, one exact code), so the whitespace
    matrix shows real cross-sell candidates; only with an admin to make the change."""
    if admin is None or ProductGroupRule.objects.exists():
        return
    product_groups_save(
        user=admin, text=PRODUCT_GROUPS, fallback_prefix_length=0, upsell_below_percent=50
    )
