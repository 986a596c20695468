"""Planning's reads, one module per sub-domain, each re-exported here."""

from .conflicts import Conflict, account_conflicts, conflict_kinds
from .contacts import last_contact_dates

__all__ = ["Conflict", "account_conflicts", "conflict_kinds", "last_contact_dates"]
