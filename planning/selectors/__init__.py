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
from .plans import (
    PlanGlance,
    key_account_decisions,
    objective_progress,
    plan_get,
    plan_glance,
    plan_index_rows,
    plan_metric_values,
    plan_objective_rows,
    plan_years,
    planning_users,
    product_group_counts,
    relationship_stage_suggested,
)

__all__ = [
    "MY_ACCOUNT_SORTS",
    "NO_DECISION",
    "Conflict",
    "PlanGlance",
    "account_conflicts",
    "conflict_kinds",
    "days_since",
    "key_account_decisions",
    "last_contact_dates",
    "my_accounts",
    "my_accounts_filters_clean",
    "objective_progress",
    "plan_get",
    "plan_glance",
    "plan_index_rows",
    "plan_metric_values",
    "plan_objective_rows",
    "plan_years",
    "planning_users",
    "product_group_counts",
    "relationship_stage_suggested",
]
