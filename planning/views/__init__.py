"""Planning's pages, one module per sub-domain, each re-exported here."""

from .coverage import account_coverage, coverage_settings
from .resources import resources

__all__ = ["account_coverage", "coverage_settings", "resources"]
