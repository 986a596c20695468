"""Money, numbers and dates written per language."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.money import (
    SHORT_UNITS,
    money_format,
    money_short,
    money_short_all,
    plotly_separators,
)
from accounts.templatetags.money import rating_value


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "Rp 1.234.567"), ("en", "IDR 1,234,567")],
)
def test_money_is_written_per_language(language, expected):
    with translation.override(language):
        assert money_format(Decimal("1234567.40"), currency="IDR") == expected


def test_negative_money_and_other_currencies():
    with translation.override("id"):
        assert money_format(-1500, currency="IDR") == "-Rp 1.500"
        assert money_format(1500, currency="USD") == "USD 1.500"
    with translation.override("en"):
        assert money_format(None, currency="IDR") == "—"


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("id", 1_500_000, "Rp 1,5 jt"),
        ("id", 2_345_000_000, "Rp 2,3 M"),
        ("id", 7_000_000, "Rp 7 jt"),
        ("en", 1_500_000, "IDR 1.5M"),
        ("en", 2_345_000_000, "IDR 2.3B"),
        ("en", 950, "IDR 950"),
    ],
)
def test_large_figures_are_abbreviated_per_language(language, value, expected):
    with translation.override(language):
        assert money_short(value, currency="IDR") == expected


def test_chart_separators_follow_the_language():
    with translation.override("id"):
        assert plotly_separators() == ",."
    with translation.override("en"):
        assert plotly_separators() == ".,"


@pytest.mark.parametrize(
    ("language", "expected"), [("id", ["7,5", "8", "7,25"]), ("en", ["7.5", "8", "7.25"])]
)
def test_ratings_are_shown_with_the_language_decimal_mark(language, expected):
    with translation.override(language):
        assert [rating_value(v) for v in (7.5, Decimal("8.00"), Decimal("7.25"))] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "Rp 2.500.000 · 1 Maret 2026 · 3,14"), ("en", "IDR 2,500,000 · March 1, 2026 · 3.14")],
)
def test_templates_write_money_dates_and_decimals_per_language(language, expected):
    template = Template(
        '{% load money %}{{ amount|money }} · {{ day|date:"DATE_FORMAT" }} · {{ pi|floatformat:2 }}'
    )
    context = Context({"amount": 2500000, "day": dt.date(2026, 3, 1), "pi": 3.14159})
    with translation.override(language):
        assert template.render(context) == expected


def _short_by_django(value: float, language: str) -> str:
    """The abbreviation written with Django's own number formatting (the reference)."""
    sign, amount = ("-" if value < 0 else ""), abs(value)
    label = "Rp" if language == "id" else "IDR"
    for threshold, suffix, glue in SHORT_UNITS[language]:
        if amount >= threshold:
            scaled = round(amount / threshold, 1)
            digits = 0 if scaled == int(scaled) else 1
            number = number_format(scaled, decimal_pos=digits, use_l10n=True)
            return f"{sign}{label} {number}{glue}{suffix}"
    whole = number_format(round(amount), decimal_pos=0, use_l10n=True, force_grouping=True)
    return f"{sign}{label} {whole}"


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False), max_size=20),
    language=st.sampled_from(["id", "en"]),
)
def test_chart_abbreviations_match_djangos_number_formatting(values, language):
    with translation.override(language):
        expected = [_short_by_django(value, language) for value in values]
        assert money_short_all(values, currency="IDR") == expected
        assert money_short_all([None], currency="IDR") == ["—"]
