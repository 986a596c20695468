"""Planning's reads, one module per sub-domain, each re-exported here."""

from .contacts import last_contact_dates
from .whitespace import (
    product_codes_seen,
    product_group_rules,
    whitespace_account,
    whitespace_load,
    whitespace_matrix,
)

__all__ = [
    "last_contact_dates",
    "product_codes_seen",
    "product_group_rules",
    "whitespace_account",
    "whitespace_load",
    "whitespace_matrix",
]
