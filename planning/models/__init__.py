"""Planning's models, one module per sub-domain, each re-exported here."""

from .contacts import Contact, ContactLogEntry
from .coverage import Box, BoxCoverage, CoverageMode
from .nps import NpsAnswer, SurveyImport

__all__ = [
    "Box",
    "BoxCoverage",
    "Contact",
    "ContactLogEntry",
    "CoverageMode",
    "NpsAnswer",
    "SurveyImport",
]
