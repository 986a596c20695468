"""Planning's reads, one module per sub-domain, each re-exported here."""

from .cadence import OverdueAccount, cadence_flags_for, cadence_overdue, is_overdue
from .contacts import last_contact_dates
from .coverage import (
    AccountCoverageRow,
    account_coverage_get,
    account_coverage_rows,
    account_coverage_stored,
    box_coverage_all,
    decided_boxes,
)
from .resources import (
    CONTACT_WINDOW_DAYS,
    OVER,
    SERVICE_BAND,
    UNDER,
    Resources,
    contact_counts,
    resources_summary,
    service_level,
)

__all__ = [
    "CONTACT_WINDOW_DAYS",
    "OVER",
    "SERVICE_BAND",
    "UNDER",
    "AccountCoverageRow",
    "OverdueAccount",
    "Resources",
    "account_coverage_get",
    "account_coverage_rows",
    "account_coverage_stored",
    "box_coverage_all",
    "cadence_flags_for",
    "cadence_overdue",
    "contact_counts",
    "decided_boxes",
    "is_overdue",
    "last_contact_dates",
    "resources_summary",
    "service_level",
]
