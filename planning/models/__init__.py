"""Planning's models, one module per sub-domain, each re-exported here."""

from .coverage import Box, BoxCoverage, CoverageMode

__all__ = ["Box", "BoxCoverage", "CoverageMode"]
