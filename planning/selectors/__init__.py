"""Planning's reads, one module per sub-domain, each re-exported here."""

from .contacts import (
    LastContact,
    contact_log_list,
    days_since,
    last_contact_dates,
    last_contacts,
    last_contacts_of,
)
from .relationships import (
    STANCE_COLOURS,
    account_contacts,
    account_relationships,
    relationship_chart,
    relationship_gaps,
)

__all__ = [
    "STANCE_COLOURS",
    "LastContact",
    "account_contacts",
    "account_relationships",
    "contact_log_list",
    "days_since",
    "last_contact_dates",
    "last_contacts",
    "last_contacts_of",
    "relationship_chart",
    "relationship_gaps",
]
