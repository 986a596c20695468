"""Planning's writes, one module per sub-domain, each re-exported here."""

from .plans import (
    action_create,
    action_update,
    objective_create,
    objective_delete,
    objective_update,
    objective_value_record,
    objectives_track,
    plan_start,
    plan_texts_save,
)

__all__ = [
    "action_create",
    "action_update",
    "objective_create",
    "objective_delete",
    "objective_update",
    "objective_value_record",
    "objectives_track",
    "plan_start",
    "plan_texts_save",
]
