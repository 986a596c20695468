"""Planning's pages, one module per sub-domain, each re-exported here."""

from .conflicts import conflict_index

__all__ = ["conflict_index"]
