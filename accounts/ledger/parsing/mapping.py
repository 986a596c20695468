"""Which file column holds which ledger field: guessed from English and Indonesian headers."""

import re
import unicodedata

from .fields import ALIASES, FIELDS, REQUIRED_FIELDS


def header_normalise(name: object) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def mapping_guess(columns: list) -> dict[str, str]:
    """Field -> column, from English and Indonesian header names."""
    normalised = {str(column): header_normalise(column) for column in columns}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for field in FIELDS:  # exact names first
        for alias in ALIASES[field]:
            column = next((c for c, n in normalised.items() if n == alias and c not in used), None)
            if column is not None:
                mapping[field] = column
                used.add(column)
                break
    for column, name in normalised.items():  # then names that contain an alias
        if column in used or not name:
            continue
        candidates = [
            (len(alias), field)
            for field in FIELDS
            if field not in mapping
            for alias in ALIASES[field]
            if len(alias) >= 4 and alias in name
        ]
        if candidates:
            field = max(candidates)[1]
            mapping[field] = column
            used.add(column)
    return mapping


def mapping_problems(mapping: dict[str, str], columns: list[str]) -> list[tuple[str, str]]:
    """(code, field) pairs for what stops a mapping from describing a ledger."""
    problems = [("unknown_column", field) for field, col in mapping.items() if col not in columns]
    problems += [("missing_field", field) for field in REQUIRED_FIELDS if field not in mapping]
    if "amount" not in mapping and not {"quantity", "unit_price"} <= mapping.keys():
        problems.append(("missing_amount", "amount"))
    return problems
