"""Planning's models, one module per sub-domain, each re-exported here."""

from .contacts import Contact, ContactLogEntry
from .coverage import Box, BoxCoverage, CoverageMode
from .products import ProductGroupRule, WhitespaceSettings

__all__ = [
    "Box",
    "BoxCoverage",
    "Contact",
    "ContactLogEntry",
    "CoverageMode",
    "ProductGroupRule",
    "WhitespaceSettings",
]
