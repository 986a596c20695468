"""Planning's reads, one module per sub-domain, each re-exported here."""

from .conflicts import (
    Conflict,
    account_conflicts,
    conflict_kinds,
)
from .contacts import (
    LastContact,
    contact_log_list,
    days_since,
    last_contact_dates,
    last_contacts,
    last_contacts_of,
)
from .my_accounts import (
    MY_ACCOUNT_SORTS,
    NO_DECISION,
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
from .relationships import (
    STANCE_COLOURS,
    account_contacts,
    account_relationships,
    relationship_chart,
    relationship_gaps,
)
from .whitespace import (
    product_codes_seen,
    product_group_rules,
    whitespace_account,
    whitespace_load,
    whitespace_matrix,
)

__all__ = [
    "MY_ACCOUNT_SORTS",
    "NO_DECISION",
    "STANCE_COLOURS",
    "Conflict",
    "LastContact",
    "PlanGlance",
    "account_conflicts",
    "account_contacts",
    "account_relationships",
    "conflict_kinds",
    "contact_log_list",
    "days_since",
    "key_account_decisions",
    "last_contact_dates",
    "last_contacts",
    "last_contacts_of",
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
    "product_codes_seen",
    "product_group_counts",
    "product_group_rules",
    "relationship_chart",
    "relationship_gaps",
    "relationship_stage_suggested",
    "whitespace_account",
    "whitespace_load",
    "whitespace_matrix",
]
