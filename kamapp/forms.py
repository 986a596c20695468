"""Input parsing shared by every app's pages.

Numbers are read as people write them: the ASCII digits 0-9, an optional sign and one
decimal mark. Exponents (1e1), nan, inf, digit separators (1_0) and other scripts' digits
(٣, １０, which str.isdigit, int, float and Decimal all admit) are refused everywhere, ids
included, so one input never means a number on one page and nothing on another.
"""

import math
import re

from django import forms

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)", re.ASCII)
_PLAIN_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)


def parse_id(value: str | None) -> int | None:
    """An id typed in a query or form: ASCII digits within a database id's range, or None.

    (str.isdigit alone admits digits such as "²" that int() refuses.)
    """
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value)


def is_plain_number(value: str) -> bool:
    """A number as people write it (surrounding spaces aside), with a point or a comma."""
    return bool(_PLAIN_NUMBER.fullmatch(value.strip()))


def parse_float(value: str | None) -> float | None:
    """A plain number typed in a query or form, as a float; None for anything else."""
    if not value or not is_plain_number(value):
        return None
    number = float(value.strip().replace(",", "."))
    return number if math.isfinite(number) else None  # beyond a float: 1 followed by 400 digits


class PlainDecimalField(forms.DecimalField):
    """A DecimalField that takes plain numbers with a decimal point only (see the module)."""

    def to_python(self, value):
        if value not in self.empty_values and not (
            is_plain_number(str(value)) and "," not in str(value)
        ):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class PlainIntegerField(forms.IntegerField):
    """An IntegerField that takes ASCII digits with an optional sign only (see the module)."""

    def to_python(self, value):
        if value not in self.empty_values and not _PLAIN_INTEGER.fullmatch(str(value).strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IsoDateInput(forms.DateInput):
    """`<input type="date">`: the browser shows the date in the reader's format but reads
    and sends only ISO (yyyy-mm-dd), so the value is never written in the language's
    input format (Indonesian's dd-mm-yyyy leaves the input blank). ISO is accepted back
    in every language (Django adds it to each language's input formats)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
