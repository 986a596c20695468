"""A spreadsheet cell's value as the text pandas showed for it: numbers as Python prints
them (whole ones without ".0"), date-formatted numbers as dates, escapes undone."""

import datetime as dt
import math
import re

from .table import LedgerFileError

MAX_CELL_CHARACTERS = 32_767  # the most a spreadsheet cell holds
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_LAST_SERIAL = 2_958_466  # 10000-01-01: later serials are not dates
_EPOCH_1900 = dt.datetime(1899, 12, 30)  # Excel counts 1900-02-29, which never was
_EPOCH_1904 = dt.datetime(1904, 1, 1)


class TextGatherer:
    """The text of one value, gathered as expat hands it over, refused past a cell's size
    (a spreadsheet cell holds at most 32,767 characters; a hand-made one could hold a GB)."""

    __slots__ = ("length", "parts")

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0

    def __call__(self, data: str) -> None:
        self.length += len(data)
        if self.length > MAX_CELL_CHARACTERS:
            raise LedgerFileError("unreadable", "a cell of more than 32,767 characters")
        self.parts.append(data)

    def text(self) -> str:
        return "".join(self.parts)


def text_unescape(text: str) -> str:
    """Characters XML cannot hold, written _x000D_ by spreadsheets."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def number_text(text: str) -> str:
    """A number cell as pandas shows a spreadsheet's float: 7 not 7.0, 0.1 not 0.1000."""
    if "_" in text or text != text.strip():
        return text  # not a number a spreadsheet reader accepts: kept as written
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    return str(int(number)) if number.is_integer() else repr(number)


def date_text(text: str, *, date1904: bool) -> str:
    """A date-formatted number as the date and time it stands for (or as a number, if it
    stands for no date before the year 10000)."""
    try:
        serial = float(text)
    except ValueError:
        return text
    if not 0 <= serial < _LAST_SERIAL:
        return number_text(text)
    moment = dt.timedelta(milliseconds=round(serial * 86_400_000))
    if serial < 1:  # a time of day alone
        return str((dt.datetime.min + moment).time())
    if date1904:
        epoch = _EPOCH_1904
    else:
        epoch = _EPOCH_1900 if serial >= 61 else _EPOCH_1900 + dt.timedelta(days=1)
    try:
        return (epoch + moment).isoformat(sep=" ")
    except OverflowError:
        return number_text(text)


def duration_text(text: str) -> str:
    try:
        return str(dt.timedelta(milliseconds=round(float(text) * 86_400_000)))
    except (ValueError, OverflowError):
        return number_text(text)
