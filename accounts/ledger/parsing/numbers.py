"""Numbers as written in ledgers: one decimal mark per column, never reinterpreted."""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .arrow import arrow_filled, arrow_matches, arrow_strings
from .fields import STORED_DECIMALS

_NUMBER_NOISE = r"(?i)^\s*(?:rp\.?|idr|usd|\$|€|£)?\s*|\s+|(?:rp|idr|usd)$"
_PLAIN_NUMBER = r"^-?\d+(?:\.\d+)?$"  # how nearly every exported number is written
_EXPONENT_NUMBER = r"^\d*\.?\d+[eE][-+]?\d+$"
# Both readings fit: a decimal with three decimals, or one thousands group (1.234, 12,500).
_AMBIGUOUS = {"point": r"^[1-9]\d{0,2}\.\d{3}$", "comma": r"^[1-9]\d{0,2},\d{3}$"}
_DECIMAL = {"point": r"^(?:\d*\.\d+|\d+\.)$", "comma": r"^(?:\d*,\d+|\d+,)$"}
# Thousands groups, with or without decimals under the other mark (1,234,567 or 1,234.5).
_GROUPED = {
    "point": r"^[1-9]\d{0,2}(?:,\d{3})+\.\d+$|^[1-9]\d{0,2}(?:,\d{3}){2,}$",
    "comma": r"^[1-9]\d{0,2}(?:\.\d{3})+,\d+$|^[1-9]\d{0,2}(?:\.\d{3}){2,}$",
}
OTHER_MARK = {"point": "comma", "comma": "point"}
# What a value written in the other notation is reported as, by the column's mark.
MARK_CONFLICT = {"point": "comma_in_point_column", "comma": "point_in_comma_column"}
THOUSANDS = {"point": ",", "comma": "."}
SIGNIFICANT_DIGITS = 15  # what float64 (and SQLite's REAL) hold exactly
EXCEL_DIGITS = 15  # Excel shows and keeps numbers to 15 significant digits


class DecimalMark(StrEnum):
    POINT = "point"
    COMMA = "comma"


@dataclass
class NumberColumn:
    """A number column as written: the shape of each value, before a mark is chosen."""

    core: pa.Array  # digits and separators, without sign, currency or spaces
    negative: np.ndarray
    filled: np.ndarray
    plain: np.ndarray  # an integer, or a number in exponent notation: the same either way
    exponent: np.ndarray
    point_at: np.ndarray  # where the core has its first point (-1: none)
    length: np.ndarray  # of the core
    decimal: dict[str, np.ndarray]  # unambiguously written with this decimal mark
    grouped: dict[str, np.ndarray]  # ... and with the other mark as thousands separator
    ambiguous: dict[str, np.ndarray]  # one separator then three digits (1.234, 12,500)

    def evidence(self, mark: str) -> int:
        return int((self.decimal[mark] | self.grouped[mark]).sum())

    def mark(self) -> DecimalMark | None:
        """The column's mark, from its unambiguous values only (None when none tells).

        The majority decides, so that one value in the other notation is reported rather
        than turning the column over; a tie goes to the point.
        """
        point, comma = self.evidence("point"), self.evidence("comma")
        if not point and not comma:
            return None
        return DecimalMark.POINT if point >= comma else DecimalMark.COMMA


@dataclass
class NumberReading:
    """A number column as it will be stored: values (NaN where refused) and why refused."""

    numbers: np.ndarray
    decimals: np.ndarray  # digits written after the decimal mark
    digits: np.ndarray  # significant digits written
    mark: DecimalMark | None  # the mark used; None when no value needed one
    mark_seen: bool  # the mark came from this column's own values, not the file's
    problems: dict[str, np.ndarray]


def number_column_classify(values: pd.Series, *, excel: bool = False) -> NumberColumn:
    """Sort each value of a column by the notations it fits (vectorised, no mark yet).

    `values` are stripped of surrounding spaces. Plain numbers (1234, -7.28), nearly all
    of a file, are sorted by their lengths alone; only the others are matched against each
    notation's pattern.
    """
    text = values
    array = arrow_strings(text)
    size = len(array)
    filled = (text != "").to_numpy()
    plain = arrow_matches(array, _PLAIN_NUMBER)
    negative = plain & pc.starts_with(array, "-").to_numpy(zero_copy_only=False)
    core = array
    if negative.any():
        unsigned = pc.utf8_slice_codeunits(pc.filter(array, pa.array(negative)), 1)
        core = pc.replace_with_mask(core, pa.array(negative), unsigned)
    other = filled & ~plain
    if other.any():  # currency marks, spaces, accounting negatives: the few that have them
        cleaned = text[other].str.replace(_NUMBER_NOISE, "", regex=True)
        accounting = cleaned.str.match(r"^\(.*\)$|^[^-].*-$").to_numpy(dtype=bool, na_value=False)
        cleaned = cleaned.str.replace(r"^\((.*)\)$|^(.*)-$", r"\1\2", regex=True)
        signed = cleaned.str.match(r"^[-+]").to_numpy(dtype=bool, na_value=False)
        minus = cleaned.str.startswith("-").to_numpy(dtype=bool, na_value=False)
        negative[other] = accounting ^ (signed & minus)
        cleaned = cleaned.str.replace(r"^[-+]", "", regex=True)
        core = pc.replace_with_mask(core, pa.array(other), arrow_strings(cleaned))
    point_at = arrow_filled(pc.find_substring(core, "."), -1).to_numpy()
    fraction = arrow_filled(pc.utf8_length(core), 0).to_numpy() - point_at - 1
    if excel:  # a cell's binary float noise (4501.499999999999): round as Excel shows it
        noisy = plain & (point_at >= 0) & (fraction > STORED_DECIMALS["amount"])
        if noisy.any():
            floats = pc.cast(pc.filter(core, pa.array(noisy)), pa.float64()).to_numpy()
            shown = pa.array([f"{value:.{EXCEL_DIGITS}g}" for value in floats])
            core = pc.replace_with_mask(core, pa.array(noisy), shown.cast(pa.large_string()))
            point_at = arrow_filled(pc.find_substring(core, "."), -1).to_numpy()
            fraction = arrow_filled(pc.utf8_length(core), 0).to_numpy() - point_at - 1
    leading_zero = pc.starts_with(core, "0").to_numpy(zero_copy_only=False)
    plain_point = plain & (point_at >= 0)
    ambiguous_point = plain_point & (point_at <= 3) & (fraction == 3) & ~leading_zero
    integer = plain & (point_at < 0)
    exponent = np.zeros(size, dtype=bool)
    decimal = {"point": plain_point & ~ambiguous_point, "comma": np.zeros(size, dtype=bool)}
    ambiguous = {"point": ambiguous_point, "comma": np.zeros(size, dtype=bool)}
    grouped = {"point": np.zeros(size, dtype=bool), "comma": np.zeros(size, dtype=bool)}
    rest = np.flatnonzero(other)
    if rest.size:
        written = pc.take(core, pa.array(rest))
        has = {"point": arrow_matches(written, r"\."), "comma": arrow_matches(written, ",")}
        integer[rest] = arrow_matches(written, r"^\d+$")
        exponent[rest] = arrow_matches(written, _EXPONENT_NUMBER)
        for mark, other_mark in OTHER_MARK.items():
            single = has[mark] & ~has[other_mark]
            fits_both = single & arrow_matches(written, _AMBIGUOUS[mark])
            ambiguous[mark][rest] = fits_both
            decimal[mark][rest] = single & ~fits_both & arrow_matches(written, _DECIMAL[mark])
            grouped[mark][rest] = has[other_mark] & arrow_matches(written, _GROUPED[mark])
    return NumberColumn(
        core=core,
        negative=negative,
        filled=filled,
        plain=(integer | exponent) & filled,
        exponent=exponent,
        point_at=point_at,
        length=fraction + point_at + 1,
        decimal=decimal,
        grouped=grouped,
        ambiguous=ambiguous,
    )


def number_column_read(column: NumberColumn, *, fallback: str | None = None) -> NumberReading:
    """The values under the column's decimal mark (or the file's, where its own say none).

    Under a mark, a value written in the other notation (7,5 in a point column) is refused,
    never read another way. A value with one separator and three digits (1.234, 12,500)
    reads as a decimal under that separator's mark, which is what it says, and as a
    thousands group under the other mark: as thousands only where the column writes its
    thousands with that separator elsewhere (1.234 beside 1.234,50 or 2.500.000), since a
    writer that groups does so throughout; otherwise it is refused as written with the
    other mark. In a column that shows both notations, such values are refused as
    ambiguous whichever mark wins, since either writer could have written them; so they
    are where there is no mark at all (only integers and such values).
    """
    own = column.mark()
    mark = own or (DecimalMark(fallback) if fallback else None)
    nothing = np.zeros_like(column.plain)
    either = column.ambiguous["point"] | column.ambiguous["comma"]
    refused = {}
    if mark is None:
        ok = column.plain.copy()
        written = column.core
    else:
        other = OTHER_MARK[mark]
        conflict = column.decimal[other] | column.grouped[other]
        mixed = bool(conflict.any())
        thousands = column.ambiguous[other] if column.grouped[mark].any() else nothing
        ok = column.plain | column.decimal[mark] | column.grouped[mark]
        if mixed:
            thousands = nothing
        else:
            ok |= column.ambiguous[mark] | thousands
        refused[MARK_CONFLICT[mark]] = conflict | (
            column.ambiguous[other] & ~thousands & (not mixed)
        )
        either = either & mixed
        written = column.core
        if (column.grouped[mark] | thousands).any():
            written = pc.replace_substring(written, THOUSANDS[mark], "")
        if mark == DecimalMark.COMMA:
            written = pc.replace_substring(written, ",", ".")
    refused["ambiguous_mark"] = either
    refused["not_a_number"] = column.filled & ~ok & ~np.logical_or.reduce(list(refused.values()))
    if written is column.core:  # nothing was taken out: the positions are the core's
        point_at, length = column.point_at, column.length
    else:
        point_at = arrow_filled(pc.find_substring(written, "."), -1).to_numpy()
        length = arrow_filled(pc.utf8_length(written), 0).to_numpy()
    if not ok.all():
        written = pc.if_else(pa.array(ok), written, None)
    numbers = pc.cast(written, pa.float64()).to_numpy(zero_copy_only=False).copy()
    numbers = np.where(column.negative, -numbers, numbers)
    counted = ok & ~column.exponent  # 1e15 says nothing of its digits
    digits = np.where(counted, length - (point_at >= 0), 0)
    long = np.flatnonzero(digits > SIGNIFICANT_DIGITS)
    if long.size:  # leading zeros (0.000012) are not significant: count them on these only
        zeros = pc.extract_regex(pc.take(written, pa.array(long)), r"^(?P<zeros>[0.]*)")
        leading = pc.utf8_length(pc.struct_field(zeros, "zeros")).to_numpy()
        digits[long] -= leading - (point_at[long] >= 0) * (point_at[long] < leading)
    return NumberReading(
        numbers=numbers,
        decimals=np.where(counted & (point_at >= 0), length - point_at - 1, 0),
        digits=digits,
        mark=mark,
        mark_seen=own is not None,
        problems=refused,
    )


def number_problems(field: str, reading: NumberReading) -> dict[str, np.ndarray]:
    """Each refusal of a number column's values, as (code, mask), in the order reported."""
    problems = dict(reading.problems)
    if field in STORED_DECIMALS:
        problems["too_precise"] = reading.decimals > STORED_DECIMALS[field]
        problems["too_many_digits"] = reading.digits > SIGNIFICANT_DIGITS
    return problems


def number_columns_read(
    values: dict[str, pd.Series], *, excel: bool = False
) -> dict[str, NumberReading]:
    """Read each number column under its own mark; a column whose values tell none (only
    integers and 1.234-like values) takes the mark most of the file's numbers are written
    with."""
    columns = {name: number_column_classify(v, excel=excel) for name, v in values.items()}
    point = sum(column.evidence("point") for column in columns.values())
    comma = sum(column.evidence("comma") for column in columns.values())
    fallback = None if not point and not comma else ("point" if point >= comma else "comma")
    return {name: number_column_read(c, fallback=fallback) for name, c in columns.items()}


def numbers_parse(values: pd.Series) -> np.ndarray:
    """Numbers as float64 (NaN where blank, not a number, or refused for its notation).

    Accepts 1234.5, 1,234.50, 1.234,50 and 1.234.567 (Indonesian thousands), currency
    marks (Rp, IDR, $) and accounting negatives such as (1,234.00) or 1234-, each column
    in one notation (see `number_column_read`).
    """
    return number_column_read(number_column_classify(values.str.strip())).numbers
