"""Planning's writes, one module per sub-domain, each re-exported here."""

from .whitespace import product_groups_save, rules_parse, rules_text

__all__ = ["product_groups_save", "rules_parse", "rules_text"]
