"""Planning's pages, one module per sub-domain, each re-exported here."""

from .nps import (
    nps_account,
    nps_import,
    nps_import_detail,
    nps_import_errors,
    nps_import_mapping,
    nps_index,
)

__all__ = [
    "nps_account",
    "nps_import",
    "nps_import_detail",
    "nps_import_errors",
    "nps_import_mapping",
    "nps_index",
]
