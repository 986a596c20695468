"""What a typed rating becomes: the grammar of `rating_parse`, and the cell that comes back."""

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from kamapp.forms import parse_float, parse_id
from scoring.models import Rating
from scoring.services import rating_parse
from tests.fixtures.rounds import record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("-1", "out_of_range"),
        ("-0.5", "out_of_range"),
        ("10.01", "out_of_range"),
        ("100", "out_of_range"),
        ("7.333", "decimals"),
        ("7.330", "decimals"),
        ("1,000", "decimals"),
        ("1e1", "invalid"),
        ("1E1", "invalid"),
        ("0x10", "invalid"),
        ("5..5", "invalid"),
        ("7 5", "invalid"),
        ("-", "invalid"),
        (".", "invalid"),
    ],
)
def test_rating_parse_says_why_it_refuses(raw, code):
    with pytest.raises(ValidationError) as error:
        rating_parse(raw)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("+7", Decimal("7")), ("7.", Decimal("7")), ("-0", Decimal("0")), ("007.50", Decimal("7.5"))],
)
def test_rating_parse_accepts_a_sign_a_trailing_mark_and_leading_zeros(raw, expected):
    value = rating_parse(raw)
    assert value == expected
    assert not value.is_signed()  # "-0" is stored as the zero it is, not as -0.00


def test_too_many_decimals_are_refused_not_rounded(rated_round):
    r = rated_round
    with pytest.raises(ValidationError, match="more than 2 decimals"):
        record(r, "7.333")
    assert Rating.objects.get(factor=r.a1, customer=r.mine, competitor=None).value == 9


def _save(client, r, value):
    data = {"customer": r.mine.pk, "factor": r.a1.pk, "value": value}
    return client.post(
        reverse("scoring:rating_save", args=[r.round.pk]), data, HTTP_HX_REQUEST="true"
    )


def _cell_input(content: str) -> str:
    return re.search(r'<input[^>]*class="rating-input"[^>]*>', content, re.S).group(0)


@pytest.fixture
def at_725(rated_round):
    """Alpha's Size stored at 7.25."""
    Rating.objects.filter(factor=rated_round.a1, customer=rated_round.mine).update(
        value=Decimal("7.25")
    )
    return rated_round


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "-1 is out of range: ratings run from 0 to 10."),
        ("7.333", "7.333 has more than 2 decimals"),
        ("1e1", "“1e1” is not a number"),
        ("nan", "“nan” is not a number"),
        ("-NaN", "“-NaN” is not a number"),
        ("inf", "“inf” is not a number"),
        ("Infinity", "“Infinity” is not a number"),
        ("1e999999", "“1e999999” is not a number"),
    ],
)
def test_a_refused_cell_keeps_the_typed_text_and_names_the_stored_rating(
    client, at_725, typed, message
):
    r = at_725
    client.force_login(r.rater)
    response = _save(client, r, typed)
    assert response.status_code == 422
    content = response.content.decode()
    assert message in content
    assert "The saved rating is still 7.25." in content
    cell = _cell_input(content)
    # What was typed, never a reading of it (7.33, 10): the person corrects their own text.
    assert f'value="{typed}"' in cell
    assert 'data-stored="7.25"' in cell
    assert Rating.objects.get(factor=r.a1, customer=r.mine).value == Decimal("7.25")


def test_a_saved_cell_shows_the_stored_rating_and_keeps_its_id(client, at_725):
    r = at_725
    client.force_login(r.rater)
    response = _save(client, r, " 6,5 ")
    assert response.status_code == 200
    cell = _cell_input(response.content.decode())
    assert 'value="6.5"' in cell and 'data-stored="6.5"' in cell
    # The id lets htmx give the focus back to the swapped-in cell (Enter on the last cell).
    assert f'id="rating-{r.mine.pk}-{r.a1.pk}-us"' in cell


def test_an_empty_value_removes_the_rating(client, at_725):
    """The grid's undo delay is in the browser; the request that follows it clears."""
    r = at_725
    client.force_login(r.rater)
    response = _save(client, r, "")
    assert response.status_code == 200
    assert 'data-stored=""' in _cell_input(response.content.decode())
    assert not Rating.objects.filter(factor=r.a1, customer=r.mine).exists()


# --- The grammar as a property (hypothesis) ----------------------------------------------

ASCII_DIGITS = "0123456789"


def _grammar_value(raw: str) -> Fraction | str | None:
    """What the documented grammar makes of `raw`, worked out independently of the parser
    (character by character, in exact fractions): None for an empty cell, the value for an
    accepted rating, "refused" for anything else."""
    text = raw.strip()
    if not text:
        return None
    negative = text[0] == "-"
    if text[0] in "+-":
        text = text[1:]
    marks = [i for i, char in enumerate(text) if char in ".,"]
    if len(marks) > 1:
        return "refused"
    whole, frac = (text[: marks[0]], text[marks[0] + 1 :]) if marks else (text, "")
    if not (whole or frac) or any(char not in ASCII_DIGITS for char in whole + frac):
        return "refused"
    value = Fraction(int(whole or "0")) + Fraction(int(frac or "0"), 10 ** len(frac))
    value = -value if negative else value
    if not 0 <= value <= 10 or len(frac) > 2:
        return "refused"
    return value


NEAR_GRAMMAR = st.from_regex(
    r"\s{0,2}[+\-]?[0-9١٣１²]{0,3}([.,][0-9٣]{0,4})?[eE]?[0-9]?\s{0,2}", fullmatch=True
)
RATING_TEXT = st.one_of(
    st.text(max_size=30),
    NEAR_GRAMMAR,
    st.sampled_from(["nan", "NaN", "-nan", "+NAN", "sNaN", "inf", "-inf", "Infinity", "-Infinity"]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
)


@settings(max_examples=2000, deadline=None)
@given(raw=RATING_TEXT)
def test_rating_parse_accepts_exactly_the_documented_grammar(raw):
    expected = _grammar_value(raw)
    try:
        value = rating_parse(raw)
    except ValidationError as error:  # anything else raised fails the test
        assert expected == "refused", (raw, error.messages)
        assert error.code in {"invalid", "digits", "out_of_range", "decimals"}
        assert len(error.messages) == 1
        return
    assert expected != "refused", (raw, value)
    if expected is None:
        assert value is None
    else:
        assert Fraction(value) == expected
        assert value.as_tuple().exponent == -2  # stored with two places


@pytest.mark.parametrize("raw", ["nan", "NaN", "-nan", "+NaN", "sNaN", "inf", "-INF", "infinity"])
def test_nan_and_infinity_are_not_numbers(raw):
    with pytest.raises(ValidationError) as error:
        rating_parse(raw)
    assert error.value.code == "invalid"


# --- Other scripts' digits: refused wherever a number or an id is typed -------------------

OTHER_DIGITS = st.characters(categories=["Nd"]).filter(lambda char: not char.isascii())


@given(digit=OTHER_DIGITS, ascii_digit=st.sampled_from(ASCII_DIGITS))
def test_digits_other_than_0_to_9_are_refused_as_ids_refuse_them(digit, ascii_digit):
    for text in (digit, ascii_digit + digit, digit + "." + ascii_digit):
        assert parse_id(text) is None
        assert parse_float(text) is None
        with pytest.raises(ValidationError) as error:
            rating_parse(text)
        assert error.value.code == "digits"
    assert parse_id(ascii_digit) == int(ascii_digit)


def test_other_digits_are_refused_in_the_cell_with_the_stored_rating(client, at_725):
    r = at_725
    client.force_login(r.rater)
    response = _save(client, r, "١٠")
    assert response.status_code == 422
    assert "has digits other than 0-9" in response.content.decode()
    assert Rating.objects.get(factor=r.a1, customer=r.mine).value == Decimal("7.25")
