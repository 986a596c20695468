"""Planning's pages, one module per sub-domain, each re-exported here."""

from .conflicts import conflict_index
from .my_accounts import my_account_index

__all__ = ["conflict_index", "my_account_index"]
