"""Which file column holds which ledger field: guessed from English and Indonesian headers."""

import difflib
import re
import unicodedata

from .fields import ALIASES, FIELDS, REQUIRED_FIELDS


def header_normalise(name: object) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def mapping_guess(
    columns: list, *, aliases: dict[str, tuple[str, ...]] | None = None
) -> dict[str, str]:
    """Field -> column, from English and Indonesian header names.

    `aliases` (field -> normalised names, in the order fields are claimed) describes another
    kind of file than a ledger, such as a survey's; by default, the ledger's fields.
    """
    aliases = ALIASES if aliases is None else aliases
    fields = FIELDS if aliases is ALIASES else tuple(aliases)
    normalised = {str(column): header_normalise(column) for column in columns}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for field in fields:  # exact names first
        for alias in aliases[field]:
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
            for field in fields
            if field not in mapping
            for alias in aliases[field]
            if len(alias) >= 4 and alias in name
        ]
        if candidates:
            field = max(candidates)[1]
            mapping[field] = column
            used.add(column)
    return mapping


def mapping_override(columns: list, overrides: dict[str, str]) -> dict[str, str]:
    """The guessed mapping with the fields named in `overrides` replaced, the rest kept.

    An override's column may be written in any case and spacing of the header (`order id`
    for `Order ID`); a blank one drops the field's guess. A column the file does not have
    is kept as written, for `mapping_problems` to report.
    """
    mapping = mapping_guess(columns)
    by_name: dict[str, list[str]] = {}
    for column in map(str, columns):
        by_name.setdefault(header_normalise(column), []).append(column)
    for field, column in overrides.items():
        if not column:
            mapping.pop(field, None)
            continue
        alike = by_name.get(header_normalise(column), [])
        only_alike = len(alike) == 1 and column not in alike
        mapping[field] = alike[0] if only_alike else column
    return mapping


def mapping_problems(mapping: dict[str, str], columns: list[str]) -> list[tuple[str, str]]:
    """(code, field) pairs for what stops a mapping from describing a ledger."""
    problems = [("unknown_column", field) for field, col in mapping.items() if col not in columns]
    problems += [("missing_field", field) for field in REQUIRED_FIELDS if field not in mapping]
    if "amount" not in mapping and not {"quantity", "unit_price"} <= mapping.keys():
        problems.append(("missing_amount", "amount"))
    return problems


# difflib's ratio of normalised names: "Invoce No" is 0.94 of "invoiceno", "Datum" 0.67 of "date".
SUGGESTION_CUTOFF = 0.6


def _closeness(name: str, names: tuple[str, ...]) -> float:
    return max(difflib.SequenceMatcher(None, name, alias).ratio() for alias in names)


def mapping_suggestions(
    mapping: dict[str, str], columns: list, *, limit: int = 3
) -> dict[str, list[str]]:
    """For each required field the mapping lacks: the file's columns closest to its names.

    The amount counts as required when neither it nor a quantity and a unit price are
    mapped. A column's closeness to a field is difflib's ratio between its normalised
    header and the field's nearest alias; a column is offered only to the missing field it
    comes closest to, never when another required field holds it. Up to `limit` columns a
    field, best first; a field with none close enough is left out.
    """
    problems = mapping_problems(mapping, columns)
    missing = [field for code, field in problems if code != "unknown_column"]
    held = {column for field, column in mapping.items() if field in (*REQUIRED_FIELDS, "amount")}
    return columns_closest(
        missing=missing, held=held, columns=columns, aliases=ALIASES, limit=limit
    )


def columns_closest(
    *,
    missing: list[str],
    held: set[str],
    columns: list,
    aliases: dict[str, tuple[str, ...]],
    limit: int = 3,
) -> dict[str, list[str]]:
    """For each `missing` field, the columns (other than those `held`) closest to its
    `aliases`, as `mapping_suggestions` describes, for any kind of file."""
    offered: dict[str, list[tuple[float, str]]] = {}
    for column in map(str, columns):
        name = header_normalise(column)
        if column in held or not name or not missing:
            continue
        score, field = max((_closeness(name, aliases[field]), field) for field in missing)
        if score >= SUGGESTION_CUTOFF:
            offered.setdefault(field, []).append((-score, column))
    return {
        field: [column for _score, column in sorted(offered[field])[:limit]]
        for field in missing
        if field in offered
    }
