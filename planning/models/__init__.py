"""Planning's models, one module per sub-domain, each re-exported here."""

from .contacts import (
    Contact,
    ContactLogEntry,
)
from .coverage import (
    Box,
    BoxCoverage,
    CoverageMode,
)
from .plans import (
    AccountPlan,
    Objective,
    ObjectiveValue,
    PlanAction,
    PlanMetric,
    RelationshipStage,
)
from .products import (
    ProductGroupRule,
    WhitespaceSettings,
)

__all__ = [
    "AccountPlan",
    "Box",
    "BoxCoverage",
    "Contact",
    "ContactLogEntry",
    "CoverageMode",
    "Objective",
    "ObjectiveValue",
    "PlanAction",
    "PlanMetric",
    "ProductGroupRule",
    "RelationshipStage",
    "WhitespaceSettings",
]
