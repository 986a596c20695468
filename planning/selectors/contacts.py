"""Reads of the contact log that other parts of planning measure against."""

import datetime

from django.db.models import Max

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
