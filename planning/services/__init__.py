"""Planning's writes, one module per sub-domain, each re-exported here."""

from .cadence import CadenceCheck, cadence_check, cadence_digests_build, cadence_flags_record
from .coverage import (
    BOX_COVERAGE_FIELDS,
    account_coverage_set,
    box_coverage_defaults_ensure,
    box_coverages_set,
)

__all__ = [
    "BOX_COVERAGE_FIELDS",
    "CadenceCheck",
    "account_coverage_set",
    "box_coverage_defaults_ensure",
    "box_coverages_set",
    "cadence_check",
    "cadence_digests_build",
    "cadence_flags_record",
]
