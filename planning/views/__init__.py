"""Planning's pages, one module per sub-domain, each re-exported here."""

from .conflicts import (
    conflict_index,
)
from .coverage import (
    account_coverage,
    coverage_settings,
)
from .my_accounts import (
    my_account_index,
)
from .nps import (
    nps_account,
    nps_import,
    nps_import_detail,
    nps_import_errors,
    nps_import_mapping,
    nps_index,
)
from .plans import (
    action_add,
    action_status,
    objective_add,
    objective_delete_view,
    objective_edit,
    objective_value_add,
    plan,
    plan_export,
    plan_index,
    plan_print,
    plan_start_view,
    plan_texts,
)
from .resources import (
    resources,
)

__all__ = [
    "account_coverage",
    "action_add",
    "action_status",
    "conflict_index",
    "coverage_settings",
    "my_account_index",
    "nps_account",
    "nps_import",
    "nps_import_detail",
    "nps_import_errors",
    "nps_import_mapping",
    "nps_index",
    "objective_add",
    "objective_delete_view",
    "objective_edit",
    "objective_value_add",
    "plan",
    "plan_export",
    "plan_index",
    "plan_print",
    "plan_start_view",
    "plan_texts",
    "resources",
]
