"""Dates as written in ledgers: day-first, month-first or year-first, vectorised."""

import re
from enum import StrEnum

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


class DateOrder(StrEnum):
    DMY = "dmy"
    MDY = "mdy"
    YMD = "ymd"


_DATE_PATTERN = r"^\s*(?P<a>\d{1,4})[-/. ](?P<b>\d{1,2})[-/. ](?P<c>\d{1,4})(?:[ T].*)?\s*$"
_NAMED_MONTH_FORMATS = ("%d-%b-%Y", "%d %b %Y", "%d-%b-%y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y")


def _date_parts(values: pd.Series, *, with_digits: bool = False) -> tuple[np.ndarray, ...]:
    """The three numbers of each numeric date (-1 where the value is not one), and with
    `with_digits` how many digits the first and last were written with."""
    parts = pc.extract_regex(pa.array(values, type=pa.large_string()), _DATE_PATTERN)
    numbers = tuple(
        pc.fill_null(pc.cast(pc.struct_field(parts, name), pa.int64()), -1).to_numpy()
        for name in ("a", "b", "c")
    )
    if not with_digits:
        return numbers
    digits = tuple(
        pc.fill_null(pc.utf8_length(pc.struct_field(parts, name)), 0).to_numpy()
        for name in ("a", "c")
    )
    return numbers + digits


def date_order_detect(values: pd.Series) -> tuple[DateOrder, bool]:
    """Day-first or month-first, from the data; True when the data cannot tell."""
    a, b, _c = _date_parts(values)
    numeric = (a >= 0) & (a <= 31)  # not year-first
    if not numeric.any():
        return DateOrder.YMD, False
    day_first = (a[numeric] > 12).any()
    month_first = (b[numeric] > 12).any()
    if month_first and not day_first:
        return DateOrder.MDY, False
    return DateOrder.DMY, not day_first


def dates_parse(values: pd.Series, *, order: str) -> np.ndarray:
    """Dates as datetime64[D] (NaT where a value is not a real date)."""
    if "%" in order:  # an explicit format from the command line
        simple = date_order_from_format(order)
        if simple is None:
            return _formatted_dates(values, date_format=order)
        order = simple
    a, b, c, a_digits, c_digits = _date_parts(values, with_digits=True)
    year_first = (a > 31) | ((order == DateOrder.YMD) & (a >= 0))
    year = np.where(year_first, a, c)
    # Only a year written with one or two digits is short for 19xx/20xx: "0000" is year 0.
    short_year = np.where(year_first, a_digits, c_digits) <= 2
    if order == DateOrder.MDY:
        month, day = np.where(year_first, b, a), np.where(year_first, c, b)
    else:
        month, day = b, np.where(year_first, c, a)
    year = np.where(short_year & (year >= 0) & (year < 70), year + 2000, year)
    year = np.where(short_year & (year >= 70) & (year < 100), year + 1900, year)
    valid = (a >= 0) & (year >= 1900) & (year <= 2999) & (month >= 1) & (month <= 12) & (day >= 1)
    months = np.where(valid, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    days_in_month = ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    valid &= day <= days_in_month
    result = np.where(valid, first + (day - 1), np.datetime64("NaT"))
    leftover = ~valid & (values.str.strip() != "").to_numpy()
    if leftover.any():  # rarer spellings such as 5-Mar-2024, on those rows only
        result[leftover] = _named_month_dates(values[leftover])
    return result


def date_order_from_format(date_format: str) -> DateOrder | None:
    """The order of a purely numeric strptime format such as %d.%m.%Y, else None."""
    fields = re.fullmatch(r"%([dmYy])[-/. ]%([dmYy])[-/. ]%([dmYy])", date_format.strip())
    if not fields:
        return None
    letters = "".join(fields.groups()).replace("y", "Y")
    return {"dmY": DateOrder.DMY, "mdY": DateOrder.MDY, "Ymd": DateOrder.YMD}.get(letters)


def _formatted_dates(values: pd.Series, *, date_format: str) -> np.ndarray:
    array = pa.array(values.str.strip(), type=pa.string())
    parsed = pc.strptime(array, format=date_format, unit="s", error_is_null=True)
    result = pd.Series(parsed.to_numpy(zero_copy_only=False)).to_numpy("datetime64[D]")
    result[result < np.datetime64("1900-01-01")] = np.datetime64("NaT")
    return result


def _named_month_dates(values: pd.Series) -> np.ndarray:
    array = pa.array(values.str.strip(), type=pa.string())
    found = pa.nulls(len(array), pa.timestamp("s"))
    for date_format in _NAMED_MONTH_FORMATS:
        parsed = pc.strptime(array, format=date_format, unit="s", error_is_null=True)
        found = pc.coalesce(found, parsed)
    result = pd.Series(found.to_numpy(zero_copy_only=False)).to_numpy("datetime64[D]")
    result[result < np.datetime64("1900-01-01")] = np.datetime64("NaT")
    return result
