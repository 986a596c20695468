"""Reads of the contact log: each account's last contact and the days since (which other
parts of planning measure against), and an account's log."""

import datetime
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.utils import timezone

from ..models import ContactLogEntry


def last_contact_dates(*, customer_ids=None) -> dict[int, datetime.date]:
    """Each account's latest logged contact date, by customer id (one grouped query);
    accounts never contacted are absent. Without ids: every account."""
    entries = ContactLogEntry.objects.all()
    if customer_ids is not None:
        entries = entries.filter(customer_id__in=list(customer_ids))
    return dict(
        entries.values("customer_id").annotate(last=Max("date")).values_list("customer_id", "last")
    )


@dataclass(frozen=True)
class LastContact:
    date: datetime.date
    days_since: int


def days_since(*, date: datetime.date | None, today: datetime.date) -> int | None:
    """Whole days from a contact to today: 0 on the day itself, 1 the day after; None
    when never."""
    return None if date is None else (today - date).days


def last_contacts(*, customer_ids, today: datetime.date | None = None) -> dict[int, LastContact]:
    """Each account's last contact and the days since (one query); never contacted: absent."""
    today = today or timezone.localdate()
    return {
        customer_id: LastContact(date=date, days_since=days_since(date=date, today=today))
        for customer_id, date in last_contact_dates(customer_ids=customer_ids).items()
    }


def contact_log_list(*, customer) -> QuerySet:
    """The account's contact log, latest first, with whom and who logged it."""
    return ContactLogEntry.objects.filter(customer=customer).select_related("contact", "logged_by")


def last_contacts_of(*, customers, user=None) -> dict[int, LastContact]:
    """`last_contacts` for a page's customers, as the customer pages' extensions ask."""
    return last_contacts(customer_ids=[customer.pk for customer in customers])
