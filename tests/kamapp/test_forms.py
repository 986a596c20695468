"""Shared input parsing: numbers as people write them, the same rule as ids."""

from decimal import Decimal

import pytest
from django import forms

from kamapp.forms import PlainDecimalField, PlainIntegerField, parse_float
from scoring.forms import FactorForm


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7", 7.0), (" 7,5 ", 7.5), ("-0.25", -0.25), (".5", 0.5), ("50.", 50.0), ("+3", 3.0)],
)
def test_parse_float_reads_plain_numbers(text, expected):
    assert parse_float(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", None, "1e1", "nan", "inf", "-Infinity", "1_0", "٥٠", "５", "0x1", "1.2.3", "9" * 400],
)
def test_parse_float_refuses_anything_else(text):
    assert parse_float(text) is None


@pytest.mark.parametrize("text", ["1e1", "٣٠", "３０", "NaN", "1_0", "10,5"])
def test_plain_decimal_field_refuses_what_decimal_would_read(text):
    with pytest.raises(forms.ValidationError):
        PlainDecimalField(max_digits=5, decimal_places=2).clean(text)


def test_plain_fields_take_plain_numbers():
    assert PlainDecimalField(max_digits=5, decimal_places=2).clean(" 12.5 ") == Decimal("12.5")
    assert PlainIntegerField().clean("3") == 3
    with pytest.raises(forms.ValidationError):
        PlainIntegerField().clean("٣")


@pytest.mark.parametrize(
    ("field", "text"), [("weight", "٣٠"), ("weight", "1e1"), ("position", "٣")]
)
def test_factor_form_refuses_other_digits_and_exponents(field, text):
    data = {"name": "Size", "weight": "30", "position": "1", "consideration": "pure"}
    form = FactorForm(data | {field: text})
    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.parametrize(
    ("bands", "valid"), [("0=2; 1000=5,5", True), ("٠=2", False), ("1e3=5", False)]
)
def test_bands_take_plain_numbers_only(bands, valid):
    data = {
        "name": "Size",
        "weight": "30",
        "consideration": "pure",
        "metric": "revenue",
        "derivation": "bands",
        "bands": bands,
    }
    form = FactorForm(data)
    assert form.is_valid() == valid, form.errors
    if valid:
        assert form.cleaned_data["bands"] == [[0.0, 2.0], [1000.0, 5.5]]


@pytest.mark.django_db
def test_sensitivity_controls_read_other_digits_as_no_value(client, rated_round, team_user):
    """Openness (success, weight 40) is the realistic share: 40 % until the slider says else."""
    client.force_login(team_user)
    url = f"/rounds/{rated_round.round.pk}/sensitivity/"
    shares = {
        share: client.get(url, {"share": share}).context["sensitivity"].share
        for share in ("10", "١٠", "1e1")
    }
    assert shares == {"10": pytest.approx(0.1), "١٠": pytest.approx(0.4), "1e1": pytest.approx(0.4)}
