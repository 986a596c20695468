"""Planning's reads, one module per sub-domain, each re-exported here."""

from .conflicts import (
    Conflict,
    account_conflicts,
    conflict_kinds,
)
from .contacts import (
    last_contact_dates,
)
from .my_accounts import (
    MY_ACCOUNT_SORTS,
    NO_DECISION,
    days_since,
    my_accounts,
    my_accounts_filters_clean,
)

__all__ = [
    "MY_ACCOUNT_SORTS",
    "NO_DECISION",
    "Conflict",
    "account_conflicts",
    "conflict_kinds",
    "days_since",
    "last_contact_dates",
    "my_accounts",
    "my_accounts_filters_clean",
]
