"""Reads of coverage: the boxes' defaults, and each decided account's coverage as it stands
(its box's mode and cadence, or its own override)."""

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Customer
from scoring.selectors import decisions_latest_decided

from ..models import BOX_COVERAGE_DEFAULTS, AccountCoverage, Box, BoxCoverage, CoverageMode


def box_coverage_all() -> dict[str, BoxCoverage]:
    """The four boxes' coverage, in box order (one query). A box whose row is missing
    (deleted by hand; the next migrate restores it) reads its default values, unsaved."""
    stored = {row.box: row for row in BoxCoverage.objects.all()}
    return {
        box: stored.get(box) or BoxCoverage(box=box, **BOX_COVERAGE_DEFAULTS[box])
        for box in Box.values
    }


@dataclass(frozen=True)
class AccountCoverageRow:
    """One account's coverage as it stands: its box in the latest decided round (None when
    it is not in one, or was de-selected) and what applies, inherited or its own."""

    customer: Customer
    box: str | None
    mode: str
    cadence_days: int | None
    mode_overridden: bool
    cadence_overridden: bool
    reason: str
    person_days: Decimal
    owner: object  # the user who covers it: the allocation's owner, else the account's

    @property
    def box_label(self) -> str:
        return Box(self.box).label if self.box else ""

    @property
    def mode_label(self) -> str:
        return CoverageMode(self.mode).label if self.mode else ""


def cadence_applied(*, own: AccountCoverage | None, default: BoxCoverage | None) -> int | None:
    """The contact cadence that applies to an account: its own override, else its box's
    (None when it is in no box and has no override of its own)."""
    return (own and own.cadence_days) or (default.cadence_days if default else None)


def _row(*, customer, box: str | None, boxes: dict, own: AccountCoverage | None):
    default = boxes.get(box)
    mode = (own and own.mode) or (default.mode if default else "")
    cadence = cadence_applied(own=own, default=default)
    return AccountCoverageRow(
        customer=customer,
        box=box,
        mode=mode,
        cadence_days=cadence,
        mode_overridden=bool(own and own.mode),
        cadence_overridden=bool(own and own.cadence_days),
        reason=own.reason if own else "",
        person_days=own.person_days if own else Decimal(0),
        owner=(own.owner if own and own.owner_id else None) or customer.owner,
    )


def decided_boxes() -> dict[int, str]:
    """Each account's box in the latest decided round, by customer id: the team's decision
    (key, key development, maintenance, opportunistic). De-selected accounts have none."""
    return {
        customer_id: decision.choice
        for customer_id, decision in decisions_latest_decided().items()
        if decision.choice in Box.values
    }


def account_coverage_rows(*, owner=None) -> list[AccountCoverageRow]:
    """The coverage of every account in a box in the latest decided round, by name; with
    `owner`, those that user covers. A constant number of queries."""
    boxes_by_customer = decided_boxes()
    boxes = box_coverage_all()
    customers = Customer.objects.filter(pk__in=list(boxes_by_customer)).select_related("owner")
    own = {
        row.customer_id: row
        for row in AccountCoverage.objects.filter(
            customer_id__in=list(boxes_by_customer)
        ).select_related("owner")
    }
    rows = [
        _row(
            customer=customer,
            box=boxes_by_customer[customer.pk],
            boxes=boxes,
            own=own.get(customer.pk),
        )
        for customer in customers.order_by("name", "pk")
    ]
    if owner is not None:
        rows = [row for row in rows if row.owner is not None and row.owner.pk == owner.pk]
    return rows


def account_coverage_stored(*, customer: Customer) -> AccountCoverage:
    """The account's own coverage as stored, or a new unsaved one (nothing of its own)."""
    stored = AccountCoverage.objects.filter(customer=customer).select_related("owner").first()
    return stored or AccountCoverage(customer=customer)


def account_coverage_get(*, customer: Customer) -> AccountCoverageRow:
    """One account's coverage as it stands (its box None when it is in no box)."""
    own = account_coverage_stored(customer=customer)
    own = own if own.pk else None
    box = decided_boxes().get(customer.pk)
    return _row(customer=customer, box=box, boxes=box_coverage_all(), own=own)
