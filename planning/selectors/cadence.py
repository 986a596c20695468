"""Which accounts are overdue for contact against their cadence, and the flags the nightly
check recorded for each owner's dashboard."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from ..models import CadenceFlag
from .contacts import days_since, last_contact_dates
from .coverage import account_coverage_rows


def is_overdue(
    *, last_contact: datetime.date | None, cadence_days: int, today: datetime.date
) -> bool:
    """The cadence rule: the days since the last contact are today's date minus the last
    contact's (a contact today: 0 days); an account is overdue when they exceed its cadence,
    so with a cadence of 14 a contact on 1 March is due until 15 March and overdue from
    16 March (day cadence + 1). An account never contacted is overdue."""
    if last_contact is None:
        return True
    return (today - last_contact).days > cadence_days


@dataclass(frozen=True)
class OverdueAccount:
    customer: object
    owner: object
    last_contact: datetime.date | None
    days_since: int | None  # None: never contacted
    cadence_days: int

    @property
    def description(self) -> str:
        """ "Not contacted for 45 days; cadence 14", in the active language."""
        if self.days_since is None:
            return gettext("Never contacted; cadence %(cadence)s") % {"cadence": self.cadence_days}
        return ngettext(
            "Not contacted for %(days)s day; cadence %(cadence)s",
            "Not contacted for %(days)s days; cadence %(cadence)s",
            self.days_since,
        ) % {"days": self.days_since, "cadence": self.cadence_days}


def cadence_overdue(*, today: datetime.date | None = None) -> list[OverdueAccount]:
    """Every account in a box of the latest decided round whose contact is overdue against
    its cadence (`is_overdue`), never contacted first, then the longest silent. A constant
    number of queries."""
    today = today or timezone.localdate()
    rows = account_coverage_rows()
    last = last_contact_dates(customer_ids=[row.customer.pk for row in rows])
    overdue = [
        OverdueAccount(
            customer=row.customer,
            owner=row.owner,
            last_contact=last.get(row.customer.pk),
            days_since=days_since(date=last.get(row.customer.pk), today=today),
            cadence_days=row.cadence_days,
        )
        for row in rows
        if is_overdue(
            last_contact=last.get(row.customer.pk), cadence_days=row.cadence_days, today=today
        )
    ]
    return sorted(
        overdue, key=lambda item: (item.last_contact is not None, item.last_contact or today)
    )


def cadence_flags_for(*, user, today: datetime.date | None = None) -> list[OverdueAccount]:
    """The overdue accounts the last nightly check flagged for this owner, as of today: a
    contact logged since the check counts (a flag it brings within the cadence is gone),
    and the days are counted to today. Two queries."""
    today = today or timezone.localdate()
    flags = list(CadenceFlag.objects.filter(owner=user).select_related("customer"))
    logged = last_contact_dates(customer_ids=[flag.customer_id for flag in flags])
    items = []
    for flag in flags:
        last = max(filter(None, [flag.last_contact, logged.get(flag.customer_id)]), default=None)
        if is_overdue(last_contact=last, cadence_days=flag.cadence_days, today=today):
            items.append(
                OverdueAccount(
                    customer=flag.customer,
                    owner=user,
                    last_contact=last,
                    days_since=days_since(date=last, today=today),
                    cadence_days=flag.cadence_days,
                )
            )
    return items
