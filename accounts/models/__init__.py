"""Customers, their segments and competitors, and the sales ledger they are measured by."""

from .company import RATING_SCALE, CompanySettings
from .currency import CurrencyRate
from .customers import LONG_TEXT_MAX, Competitor, Customer, Segment, long_text
from .ledger import LedgerImport, LedgerLine, LedgerMapping
from .metrics import CustomerMetrics, MetricsRun, Stage, Tier, TierSnapshot
from .preferences import UserPreference

__all__ = [
    "LONG_TEXT_MAX",
    "RATING_SCALE",
    "CompanySettings",
    "Competitor",
    "CurrencyRate",
    "Customer",
    "CustomerMetrics",
    "LedgerImport",
    "LedgerLine",
    "LedgerMapping",
    "MetricsRun",
    "Segment",
    "Stage",
    "Tier",
    "TierSnapshot",
    "UserPreference",
    "long_text",
]
