"""The rating grid's rows and an account's scores drawn in Python: each value escaped, the
page's language, and the out-of-band swap a save sends."""

import json

from django.urls import reverse
from django.utils import translation

from scoring.templatetags.grid_rows import grid_rows, position_score
from tests.scoring.markup_doubles import DERIVED_REVENUE, VOLUME, Parsed, position_double


def _grid(rows, *, editable=True) -> str:
    return grid_rows(rows, round_pk=12, save_url="/rounds/12/ratings/", editable=editable)


def test_a_row_holds_the_account_its_cells_and_its_scores_escaped():
    html = _grid([(position_double(), [(VOLUME, 7.5), (DERIVED_REVENUE, 8.0)])])
    parsed = Parsed(html)
    assert html.startswith('<tr data-customer="7"><th scope="row">')
    assert parsed.links == [reverse("scoring:round_account", args=[12, 7])]
    assert "Acme &lt;b&gt;&amp;&lt;/b&gt; Co</a>" in html and "C-&lt;7&gt;" in html
    (cell,) = parsed.inputs  # the derived factor has no input
    assert cell["id"] == "rating-7-3-us" and cell["value"] == "7.5"
    assert json.loads(cell["hx-vals"]) == {"customer": "7", "factor": "3"}
    assert "derived" in parsed.text
    assert "".join(parsed.text).count("6.13") == 1  # half up, as floatformat:2
    assert '<span id="score-s-7" class="score">1.50</span>' in html
    assert '<span class="box box-key" data-box="key">Key &lt;account&gt;</span>' in html
    assert "hx-swap-oob" not in html and "<b>" not in html


def test_a_locked_grid_disables_every_input():
    (cell,) = Parsed(_grid([(position_double(), [(VOLUME, None)])], editable=False)).inputs
    assert "disabled" in cell and "hx-post" not in cell and cell["value"] == ""


def test_an_account_rated_in_part_counts_what_is_missing_and_names_it():
    one = position_double(complete=False, attractiveness=None, missing=["Size <x>"])
    html = position_score(one, "box")
    assert html == (
        '<span id="box-7" class="box-cell"><span class="badge" data-box=""'
        ' title="Size &lt;x&gt;">1 rating missing</span></span>'
    )
    assert "2 ratings missing" in position_score(
        position_double(complete=False, missing=["a", "b"]), "box"
    )
    assert position_score(one, "attractiveness") == ('<span id="score-a-7" class="score">—</span>')


def test_a_strength_without_a_competitor_view_says_so():
    html = position_score(position_double(no_competitor_view=True), "strength")
    assert html.startswith('<span id="score-s-7" class="score">1.50 <span class="badge warn"')
    assert ">no competitor view</span></span>" in html
    unrated = position_double(no_competitor_view=True, relative_strength=None)
    assert position_score(unrated, "strength") == '<span id="score-s-7" class="score">—</span>'


def test_a_save_swaps_the_scores_out_of_band():
    for part in ("attractiveness", "strength", "box"):
        html = position_score(position_double(), part, oob=True)
        assert html.count(' hx-swap-oob="true"') == 1 and "<span id=" in html


def test_rows_and_scores_follow_the_language():
    with translation.override("id"):
        html = _grid([(position_double(), [(VOLUME, 7.25)])])
        missing = position_score(position_double(complete=False, missing=["a", "b"]), "box")
    assert 'value="7,25"' in html and '<span id="score-a-7" class="score">6,13</span>' in html
    assert "2 penilaian belum diisi" in missing
