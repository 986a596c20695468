"""The accounts a sales manager looks after, at a glance: the latest decided round's
decision, tier, stage and last contact; filtered and sorted in SQL, one query a page."""

import datetime

from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.fields import CharField

from accounts.models import Customer, Tier
from scoring.selectors import (
    decision_choices,
    decision_latest_decided_subquery,
    round_latest_decided,
)

from ..models import AccountCoverage, ContactLogEntry
from .cadence import is_overdue
from .contacts import days_since
from .coverage import box_coverage_all, cadence_applied
from .nps import nps_latest

# Sort key -> the annotated or related field; never-contacted accounts sort as the oldest.
MY_ACCOUNT_SORTS = {
    "name": "name",
    "code": "code",
    "decision": "decision_choice",
    "tier": "metrics__tier",
    "revenue": "metrics__value",
    "stage": "metrics__stage",
    "last_contact": "last_contact",
}
NO_DECISION = "none"


def my_accounts_filters_clean(*, scope, decision, tier, sort, query) -> dict:
    """The page's filters, each an allowed value or its default (never an error: a stale
    link shows the unfiltered list)."""
    decisions = {value for value, _label in decision_choices()} | {NO_DECISION}
    return {
        "scope": scope if scope in ("mine", "all") else "mine",
        "decision": decision if decision in decisions else "",
        "tier": tier if tier in Tier.values else "",
        "sort": sort if sort.removeprefix("-") in MY_ACCOUNT_SORTS else "name",
        "q": (query or "").strip()[:100],
    }


def my_accounts(*, user, scope: str, decision: str, tier: str, sort: str, q: str) -> dict:
    """The accounts (the user's own with scope "mine") with their decision in the latest
    decided round (`decision_choice`, `decision_box`) and their last contact date."""
    scoring_round = round_latest_decided()
    last_contact = ContactLogEntry.objects.filter(customer=OuterRef("pk")).order_by("-date", "-id")
    customers = Customer.objects.select_related("segment", "owner", "metrics").annotate(
        last_contact=Subquery(last_contact.values("date")[:1])
    )
    if scoring_round is None:
        blank = Value("", output_field=CharField())
        customers = customers.annotate(decision_choice=blank, decision_box=blank)
    else:
        customers = customers.annotate(
            decision_choice=decision_latest_decided_subquery(
                scoring_round=scoring_round, field="choice"
            ),
            decision_box=decision_latest_decided_subquery(
                scoring_round=scoring_round, field="box_at_decision"
            ),
        )
    if scope == "mine":
        customers = customers.filter(owner=user)
    if decision == NO_DECISION:
        customers = customers.filter(Q(decision_choice__isnull=True) | Q(decision_choice=""))
    elif decision:
        customers = customers.filter(decision_choice=decision)
    if tier:
        customers = customers.filter(metrics__tier=tier)
    if q:
        customers = customers.filter(Q(name__icontains=q) | Q(code__icontains=q))
    field = F(MY_ACCOUNT_SORTS[sort.removeprefix("-")])
    never_first = sort.removeprefix("-") == "last_contact" and not sort.startswith("-")
    order = (
        field.desc(nulls_last=True)
        if sort.startswith("-")
        else field.asc(nulls_first=True)
        if never_first
        else field.asc(nulls_last=True)
    )
    return {"round": scoring_round, "customers": customers.order_by(order, "code")}


def my_accounts_glance(*, customers, today: datetime.date) -> None:
    """Give each listed account (a page of `my_accounts`) what the page shows beside its
    row: days since its last contact, the cadence that applies (its own, else its decided
    box's), whether it is overdue against it, and its latest NPS. Three queries whatever
    the number of accounts."""
    customers = list(customers)
    ids = [customer.pk for customer in customers]
    boxes = box_coverage_all()
    own = {row.customer_id: row for row in AccountCoverage.objects.filter(customer_id__in=ids)}
    latest_nps = nps_latest(customer_ids=ids)
    for customer in customers:
        cadence = cadence_applied(
            own=own.get(customer.pk), default=boxes.get(customer.decision_choice or "")
        )
        customer.days_since_contact = days_since(date=customer.last_contact, today=today)
        customer.cadence_days = cadence
        customer.contact_overdue = cadence is not None and is_overdue(
            last_contact=customer.last_contact, cadence_days=cadence, today=today
        )
        customer.nps = latest_nps.get(customer.pk)
