"""The rating cell drawn in Python: its input, what it posts, its refusal, and escaping."""

import json
from types import SimpleNamespace

from django.template import Context
from django.utils import translation

from scoring.templatetags.rating_cells import rating_cell
from tests.scoring.markup_doubles import DERIVED_REVENUE, Parsed


def _cell(**given) -> dict:
    customer = SimpleNamespace(pk=7, name='Toko <b>"Jaya"</b>')
    factor = SimpleNamespace(pk=3, name="Volume", axis="attractiveness", metric="")
    context = {
        "customer": customer,
        "factor": factor,
        "value": 7.25,
        "error": "",
        "typed": None,
        "competitor": None,
        "editable": True,
        "save_url": "/rounds/1/ratings/",
    }
    return Parsed(rating_cell(Context(context | given)))


def test_an_editable_cell_posts_its_customer_and_factor_and_shows_the_stored_value():
    (cell,) = _cell().inputs
    assert cell["id"] == "rating-7-3-us"
    assert cell["value"] == cell["data-stored"] == "7.25"
    assert cell["hx-post"] == "/rounds/1/ratings/"
    assert json.loads(cell["hx-vals"]) == {"customer": "7", "factor": "3"}
    assert cell["aria-label"] == 'Toko <b>"Jaya"</b> · Volume'  # escaped, read back intact
    assert "disabled" not in cell


def test_a_competitor_strength_cell_names_and_posts_the_competitor():
    factor = SimpleNamespace(pk=4, name="Price", axis="strength", metric="")
    rival = SimpleNamespace(pk=9, name="Rival")
    (cell,) = _cell(factor=factor, competitor=rival).inputs
    assert cell["id"] == "rating-7-4-9" and cell["aria-label"].endswith("· Price · Rival")
    assert json.loads(cell["hx-vals"])["competitor"] == "9"
    (ours,) = _cell(factor=factor).inputs
    assert ours["aria-label"].endswith("· Price · us")


def test_a_locked_cell_is_disabled_and_posts_nothing():
    (cell,) = _cell(editable=False).inputs
    assert "disabled" in cell and "hx-post" not in cell


def test_a_refused_value_stays_as_typed_and_names_the_stored_rating():
    parsed = _cell(error="Not a number.", typed="1e1")
    (cell,) = parsed.inputs
    assert cell["value"] == "1e1" and cell["data-stored"] == "7.25"
    assert cell["aria-invalid"] == "true"
    assert "Not a number. The saved rating is still 7.25." in "".join(parsed.text)
    nothing = _cell(error="Not a number.", typed="x", value=None)
    assert "Nothing was saved." in "".join(nothing.text)


def test_values_follow_the_language():
    with translation.override("id"):
        (cell,) = _cell().inputs
    assert cell["value"] == "7,25"


def test_a_derived_factor_shows_its_value_without_an_input():
    parsed = _cell(factor=DERIVED_REVENUE, value=8.0)
    assert parsed.inputs == [] and "8" in parsed.text and "derived" in parsed.text
