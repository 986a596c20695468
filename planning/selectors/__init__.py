"""Planning's reads, one module per sub-domain, each re-exported here."""

from .contacts import last_contact_dates

__all__ = ["last_contact_dates"]
