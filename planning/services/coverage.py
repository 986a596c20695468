"""Writes of coverage: the admins' box defaults and an account's own coverage."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Customer

from ..models import BOX_COVERAGE_DEFAULTS, AccountCoverage, Box, BoxCoverage
from ..permissions import user_can_configure_planning, user_can_edit_planning

BOX_COVERAGE_FIELDS = ("mode", "cadence_days", "budget_person_days", "norm_person_days")
TENTH = Decimal("0.1")


def _days(value):
    """Person-days as stored (one decimal), so the audit trail compares like with like."""
    try:
        return value.quantize(TENTH) if isinstance(value, Decimal) else value
    except InvalidOperation:  # too many digits for a quantity: full_clean says so
        return value


def box_coverage_defaults_ensure(**kwargs) -> None:
    """Give each box without a row its default coverage (BOX_COVERAGE_DEFAULTS); a stored
    row is left as the admins set it. Run after every migrate and test database flush, which
    empties what the data migration wrote (as kamapp.roles does for the role groups)."""
    BoxCoverage.objects.bulk_create(
        [BoxCoverage(box=box, **values) for box, values in BOX_COVERAGE_DEFAULTS.items()],
        ignore_conflicts=True,
    )


@transaction.atomic
def box_coverages_set(*, user, values: dict[str, dict]) -> list[BoxCoverage]:
    """Store the coverage of the boxes given (box → its four fields); admins only."""
    if not user_can_configure_planning(user=user):
        raise PermissionDenied(_("Only admins set the boxes' coverage."))
    saved = []
    for box, fields in values.items():
        coverage = BoxCoverage.objects.select_for_update().filter(box=Box(box)).first()
        coverage = coverage or BoxCoverage(box=box, **BOX_COVERAGE_DEFAULTS[box])
        for name in BOX_COVERAGE_FIELDS:
            setattr(coverage, name, _days(fields[name]))
        coverage.full_clean()
        coverage.save()
        saved.append(coverage)
    return saved


@transaction.atomic
def account_coverage_set(
    *,
    user,
    customer: Customer,
    mode: str = "",
    cadence_days: int | None = None,
    reason: str = "",
    person_days: Decimal = Decimal(0),
    owner=None,
) -> AccountCoverage:
    """Store an account's coverage: a mode or cadence of its own (blank: its box's, and
    either one needs a reason), its person-days a year and who covers it (blank: the
    account's owner). Its owner, the selection team and admins may."""
    if not user_can_edit_planning(user=user, customer=customer):
        raise PermissionDenied(_("You can only plan the accounts you own."))
    coverage = AccountCoverage.objects.select_for_update().filter(
        customer=customer
    ).first() or AccountCoverage(customer=customer)
    coverage.mode = mode
    coverage.cadence_days = cadence_days
    coverage.reason = reason.strip()
    coverage.person_days = _days(person_days)
    coverage.owner = owner
    coverage.full_clean()
    coverage.save()
    return coverage
