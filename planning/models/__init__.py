"""Planning's models, one module per sub-domain, each re-exported here."""

from .allocation import (
    AccountCoverage,
)
from .cadence import (
    CadenceFlag,
)
from .contacts import (
    Contact,
    ContactLogEntry,
)
from .coverage import (
    BOX_COVERAGE_DEFAULTS,
    Box,
    BoxCoverage,
    CoverageMode,
)
from .nps import (
    NpsAnswer,
    SurveyImport,
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
    "BOX_COVERAGE_DEFAULTS",
    "AccountCoverage",
    "AccountPlan",
    "Box",
    "BoxCoverage",
    "CadenceFlag",
    "Contact",
    "ContactLogEntry",
    "CoverageMode",
    "NpsAnswer",
    "Objective",
    "ObjectiveValue",
    "PlanAction",
    "PlanMetric",
    "ProductGroupRule",
    "RelationshipStage",
    "SurveyImport",
    "WhitespaceSettings",
]
