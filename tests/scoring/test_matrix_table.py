"""The matrix page's accounts table: sorted by any column, on the server, with aria-sort."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import CustomerMetrics, MetricsRun
from scoring import engine
from scoring.forms import MATRIX_SORTS, matrix_filters_parse
from scoring.models import ScoringRound
from scoring.selectors import round_matrix
from tests.factories import CustomerFactory, RatingFactory
from tests.fixtures.rounds import stage_set

pytestmark = pytest.mark.django_db

BOX_ORDER = ["key", "key_development", "maintenance", "opportunistic"]


def _expected(positions, column: str, descending: bool) -> list[str]:
    """The names in the order a person would sort the table: Python's sorted, ties by name
    (the positions come in name order), accounts without a tier last either way."""
    value = {
        "name": lambda index, p: index,
        "attractiveness": lambda index, p: p.attractiveness,
        "strength": lambda index, p: p.relative_strength,
        "box": lambda index, p: BOX_ORDER.index(p.box),
        "tier": lambda index, p: p.customer.tier or "",
        "revenue": lambda index, p: p.revenue,
    }[column]
    placed = [(index, p) for index, p in enumerate(positions) if p.box != engine.NOT_PLACED]
    with_value = [
        (index, p) for index, p in placed if not (column == "tier" and not p.customer.tier)
    ]
    blank = [(index, p) for index, p in placed if column == "tier" and not p.customer.tier]
    ordered = sorted(with_value, key=lambda item: item[0])  # name order first, kept on ties
    # sorted(reverse=True) keeps ties in their order too: names stay A to Z.
    ordered = sorted(ordered, key=lambda item: value(*item), reverse=descending)
    return [p.customer.name for _index, p in ordered + blank]


# name: (size, openness, our quality and delivery, rival's, tier, revenue); ties on purpose.
ACCOUNTS = {
    "Cobalt": (9, 5, 8, 4, "A", 900),
    "Amber": (9, 5, 3, 6, "B", 400),
    "Delta": (2, 3, 7, 2, "", 50),
    "Basalt": (6, 8, 5, 5, "C", 400),
    "Emerald": (4, 2, 2, 8, "A", 20),
    "Flint": (2, 3, 9, 1, "B", 0),
}


@pytest.fixture
def demo_round(small_round):
    """Six placed accounts with ties in attractiveness, revenue and tier, one without a tier
    (Alpha and Beta from the small round stay unrated)."""
    r = small_round
    run = MetricsRun.objects.create(
        trigger="command", status="succeeded", started_at=timezone.now()
    )
    for name, (size, openness, ours, rival, tier, revenue) in ACCOUNTS.items():
        customer = CustomerFactory(name=name)
        cells = [(r.a1, None, size), (r.a2, None, openness), (r.s1, None, ours), (r.s2, None, ours)]
        cells += [(r.s1, r.competitor, rival), (r.s2, r.competitor, rival)]
        for factor, competitor, value in cells:
            RatingFactory(
                round=r.round,
                factor=factor,
                customer=customer,
                rater=r.rater,
                competitor=competitor,
                value=Decimal(value),
            )
        if tier:
            CustomerMetrics.objects.create(
                customer=customer, run=run, rank=1, tier=tier, revenue=Decimal(revenue)
            )
    stage_set(r, ScoringRound.Status.MEETING)
    return ScoringRound.objects.get(pk=r.round.pk)


@pytest.mark.parametrize("column", MATRIX_SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_table_order_matches_an_independent_sort(demo_round, column, descending):
    matrix = round_matrix(scoring_round=demo_round)
    rows = matrix.placed_rows(sort=f"-{column}" if descending else column)
    assert [matrix.customers[row].name for row in rows] == _expected(
        matrix.positions, column, descending
    )


def test_unknown_sort_falls_back_to_most_attractive_first():
    assert matrix_filters_parse({"sort": "password"}).sort == "-attractiveness"
    assert matrix_filters_parse({"sort": "-revenue"}).sort == "-revenue"
    assert matrix_filters_parse({"sort": "--revenue"}).sort == "-attractiveness"


def _table_names(content: str) -> list[str]:
    body = content.split('class="data matrix-accounts"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td class="account-name">\s*<a [^>]*>([^<]+)</a>', body)


def test_revenue_header_sorts_the_page_largest_first_and_says_so(client, demo_round, team_user):
    client.force_login(team_user)
    url = reverse("scoring:round_detail", args=[demo_round.pk])
    response = client.get(url, {"sort": "-revenue", "segment": ""}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    matrix = round_matrix(scoring_round=demo_round)
    assert _table_names(content) == _expected(matrix.positions, "revenue", True)
    assert _table_names(content)[:3] == ["Cobalt", "Amber", "Basalt"]
    assert re.search(r'data-sort="revenue"[^>]*\s+aria-sort="descending"', content)
    assert content.count("aria-sort=") == 1
    # A second click on Revenue asks for the other direction, keeping the filters.
    assert 'href="?sort=revenue&amp;segment="' in content
    # The order rides along with the filter form.
    assert 'name="sort" value="-revenue" form="matrix-filters"' in content


def test_default_order_is_most_attractive_first(client, demo_round, team_user):
    client.force_login(team_user)
    content = client.get(reverse("scoring:round_detail", args=[demo_round.pk])).content.decode()
    matrix = round_matrix(scoring_round=demo_round)
    assert _table_names(content) == _expected(matrix.positions, "attractiveness", True)
    assert _table_names(content)[:2] == ["Amber", "Cobalt"]  # tied at 7.4: by name
    assert re.search(r'data-sort="attractiveness"[^>]*\s+aria-sort="descending"', content)
