"""Planning's writes, one module per sub-domain, each re-exported here."""

from .contacts import (
    contact_create,
    contact_deactivate,
    contact_log_record,
    contact_update,
    planning_check_editable,
)

__all__ = [
    "contact_create",
    "contact_deactivate",
    "contact_log_record",
    "contact_update",
    "planning_check_editable",
]
