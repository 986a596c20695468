"""Planning's reads, one module per sub-domain, each re-exported here."""

from .contacts import last_contact_dates
from .plans import (
    key_account_decisions,
    objective_progress,
    plan_get,
    plan_index_rows,
    plan_metric_values,
    plan_objective_rows,
    plan_years,
    planning_users,
    product_group_counts,
    relationship_stage_suggested,
)

__all__ = [
    "key_account_decisions",
    "last_contact_dates",
    "objective_progress",
    "plan_get",
    "plan_index_rows",
    "plan_metric_values",
    "plan_objective_rows",
    "plan_years",
    "planning_users",
    "product_group_counts",
    "relationship_stage_suggested",
]
