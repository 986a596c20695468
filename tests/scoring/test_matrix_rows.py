"""The matrix table's rows drawn in Python: the same texts as Django's own filters, escaped."""

from types import SimpleNamespace

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from accounts.money import money_format, money_short
from scoring.templatetags.matrix_rows import matrix_incomplete_items, matrix_table_rows, two_places
from tests.scoring.markup_doubles import position_double


@pytest.mark.parametrize("language", ["en", "id"])
# floatformat returns a float of over 200 digits as Python writes it (5e-324); a score is a
# weighted mean of ratings, never that small but zero.
@given(value=st.floats(min_value=1e-100, max_value=10_000) | st.just(0.0) | st.none())
@example(value=2.675)  # a float just under the half: floatformat keeps Python's repr, 2.68
@example(value=0.005)
@example(value=9.995)
@example(value=10.0)
def test_two_places_writes_what_floatformat_writes(language, value):
    with translation.override(language):
        mark = "," if language == "id" else "."
        assert two_places(value, mark) == floatformat(value, 2)


def test_a_row_holds_the_link_numbers_box_tier_and_revenue_escaped():
    html = matrix_table_rows([(position_double(), None)], round_pk=12, currency="IDR")
    url = reverse("scoring:round_account", args=[12, 7])
    assert html.startswith('<tr data-customer="7">')
    assert f'<a href="{url}">Acme &lt;b&gt;&amp;&lt;/b&gt; Co</a>' in html
    assert '<td class="num">6.13</td>' in html  # half up, as floatformat
    assert '<td class="num">1.50</td>' in html
    assert '<span class="box box-key" data-box="key">Key &lt;account&gt;</span>' in html
    assert '<span class="tier tier-A">A</span>' in html
    title = money_format(1_234_567.0, currency="IDR")
    short = money_short(1_234_567.0, currency="IDR")
    assert f'<td class="num" title="{title}">{short}</td>' in html
    assert "<script" not in html and "data-foresight" not in html


def test_a_row_without_a_tier_or_competitor_view_and_with_three_year_cells():
    position = position_double(no_competitor_view=True)
    position.customer.tier = ""
    expected = SimpleNamespace(attractiveness=None, complete=False, box="", box_label="")
    html = matrix_table_rows([(position, expected)], round_pk=3, currency="IDR")
    assert '1.50 <span class="badge warn" title="No competitor rated' in html
    assert "<td></td>" in html  # no tier
    assert '<td class="num" data-foresight-attractiveness>—</td>' in html
    assert '<td data-foresight-box><span class="muted">incomplete</span></td>' in html
    placed = SimpleNamespace(attractiveness=7.0, complete=True, box="maintenance", box_label="M")
    html = matrix_table_rows([(position_double(), placed)], round_pk=3, currency="IDR")
    assert '<td class="num" data-foresight-attractiveness>7.00</td>' in html
    assert '<span class="box box-maintenance" data-box="maintenance">M</span>' in html


def test_rows_follow_the_language():
    with translation.override("id"):
        html = matrix_table_rows([(position_double(), None)], round_pk=1, currency="IDR")
    assert '<td class="num">6,13</td>' in html
    assert "Rp 1.234.567" in html


def test_an_account_rated_in_part_links_to_its_page_and_names_what_is_missing():
    position = position_double(missing=["Size", "Quality <us>"])
    html = matrix_incomplete_items([position], round_pk=4)
    url = reverse("scoring:round_account", args=[4, 7])
    assert html == (
        f'<li><a href="{url}">Acme &lt;b&gt;&amp;&lt;/b&gt; Co</a>:'
        ' <span class="muted">missing Size, Quality &lt;us&gt;</span></li>'
    )
