"""Planning's models, one module per sub-domain, each re-exported here."""

from .allocation import AccountCoverage
from .cadence import CadenceFlag
from .contacts import Contact, ContactLogEntry
from .coverage import BOX_COVERAGE_DEFAULTS, Box, BoxCoverage, CoverageMode

__all__ = [
    "BOX_COVERAGE_DEFAULTS",
    "AccountCoverage",
    "Box",
    "BoxCoverage",
    "CadenceFlag",
    "Contact",
    "ContactLogEntry",
    "CoverageMode",
]
