"""The resources page: person-days allocated per box and per owner against the budget, and
the accounts serviced more or less than their box asks (allocation and contacts)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from ..models import Box, BoxCoverage, ContactLogEntry
from .coverage import AccountCoverageRow, account_coverage_rows, box_coverage_all

# An account is serviced as its box asks while within this share of the norm either way.
SERVICE_BAND = Decimal("0.25")
# Contacts are counted over this many days up to today, and a cadence of c days asks for
# CONTACT_WINDOW_DAYS / c of them.
CONTACT_WINDOW_DAYS = 365
OVER = "over"
UNDER = "under"


def service_level(*, actual: Decimal, norm: Decimal) -> str:
    """OVER when `actual` is more than SERVICE_BAND above `norm`, UNDER when more than
    SERVICE_BAND below it, "" within (the band's edges included)."""
    if actual > norm * (1 + SERVICE_BAND):
        return OVER
    if actual < norm * (1 - SERVICE_BAND):
        return UNDER
    return ""


@dataclass
class BoxResources:
    coverage: BoxCoverage
    accounts: int = 0
    allocated: Decimal = Decimal(0)

    @property
    def over_budget(self) -> bool:
        return self.allocated > self.coverage.budget_person_days

    @property
    def remaining(self) -> Decimal:
        return self.coverage.budget_person_days - self.allocated


@dataclass
class OwnerResources:
    owner: object  # None: accounts nobody covers
    accounts: int = 0
    allocated: Decimal = Decimal(0)
    # Box → person-days, every box in box order (zero where the owner has none).
    per_box: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(Box.values, Decimal(0))
    )


@dataclass(frozen=True)
class AccountService:
    """One account with how it is serviced against its box: the allocation against the
    box's norm, and the contacts logged in the window against what its cadence asks."""

    row: AccountCoverageRow
    norm: Decimal
    allocation_level: str
    contacts: int
    expected_contacts: Decimal
    contact_level: str

    @property
    def flagged(self) -> bool:
        return bool(self.allocation_level or self.contact_level)


@dataclass
class Resources:
    boxes: list[BoxResources]
    owners: list[OwnerResources]
    accounts: list[AccountService]

    @property
    def flagged(self) -> list[AccountService]:
        return [account for account in self.accounts if account.flagged]


def contact_counts(*, customer_ids, today: datetime.date) -> dict[int, int]:
    """Contacts logged per account in the CONTACT_WINDOW_DAYS days up to and including
    today (one grouped query)."""
    since = today - datetime.timedelta(days=CONTACT_WINDOW_DAYS - 1)
    return dict(
        ContactLogEntry.objects.filter(
            customer_id__in=list(customer_ids), date__gte=since, date__lte=today
        )
        .values("customer_id")
        .annotate(contacts=Count("pk"))
        .values_list("customer_id", "contacts")
    )


def resources_summary(*, today: datetime.date | None = None) -> Resources:
    """The resources page's figures, in a constant number of queries."""
    today = today or timezone.localdate()
    coverage = box_coverage_all()
    rows = account_coverage_rows()
    contacts = contact_counts(customer_ids=[row.customer.pk for row in rows], today=today)
    boxes = {box: BoxResources(coverage=default) for box, default in coverage.items()}
    owners: dict[int | None, OwnerResources] = {}
    accounts = []
    for row in rows:
        box = boxes[row.box]
        box.accounts += 1
        box.allocated += row.person_days
        owner = owners.setdefault(row.owner.pk if row.owner else None, OwnerResources(row.owner))
        owner.accounts += 1
        owner.allocated += row.person_days
        owner.per_box[row.box] += row.person_days
        count = contacts.get(row.customer.pk, 0)
        norm = box.coverage.norm_person_days
        accounts.append(
            AccountService(
                row=row,
                norm=norm,
                allocation_level=service_level(actual=row.person_days, norm=norm),
                contacts=count,
                expected_contacts=Decimal(CONTACT_WINDOW_DAYS) / row.cadence_days,
                # In whole numbers: contacts × cadence against the window's days.
                contact_level=service_level(
                    actual=Decimal(count * row.cadence_days), norm=Decimal(CONTACT_WINDOW_DAYS)
                ),
            )
        )
    ordered_owners = sorted(
        owners.values(),
        key=lambda item: (item.owner is None, item.owner and item.owner.get_username()),
    )
    return Resources(boxes=list(boxes.values()), owners=ordered_owners, accounts=accounts)
