"""Planning's writes, one module per sub-domain, each re-exported here."""

from .contacts import (
    contact_create,
    contact_deactivate,
    contact_log_record,
    contact_update,
    planning_check_editable,
)
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
from .whitespace import (
    product_groups_save,
    rules_parse,
    rules_text,
)

__all__ = [
    "action_create",
    "action_update",
    "contact_create",
    "contact_deactivate",
    "contact_log_record",
    "contact_update",
    "objective_create",
    "objective_delete",
    "objective_update",
    "objective_value_record",
    "objectives_track",
    "plan_start",
    "plan_texts_save",
    "planning_check_editable",
    "product_groups_save",
    "rules_parse",
    "rules_text",
]
