"""Planning's writes, one module per sub-domain, each re-exported here."""

from .cadence import (
    CadenceCheck,
    cadence_check,
    cadence_digests_build,
    cadence_flags_record,
)
from .contacts import (
    contact_create,
    contact_deactivate,
    contact_log_record,
    contact_update,
    planning_check_editable,
)
from .coverage import (
    BOX_COVERAGE_FIELDS,
    account_coverage_set,
    box_coverage_defaults_ensure,
    box_coverages_set,
)
from .nps import (
    survey_import_create,
    survey_import_refuse,
    survey_import_run,
    survey_limits,
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
    "BOX_COVERAGE_FIELDS",
    "CadenceCheck",
    "account_coverage_set",
    "action_create",
    "action_update",
    "box_coverage_defaults_ensure",
    "box_coverages_set",
    "cadence_check",
    "cadence_digests_build",
    "cadence_flags_record",
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
    "survey_import_create",
    "survey_import_refuse",
    "survey_import_run",
    "survey_limits",
]
