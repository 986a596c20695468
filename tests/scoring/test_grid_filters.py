"""The grid's filters (only cells I have not rated, search by account) and the dashboard's
accounts and factors left. Blind: a rater's unrated cells are their own."""

from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.selectors import round_pending_for_user
from tests.factories import RatingFactory

pytestmark = pytest.mark.django_db


def _grid_names(client, r, user, **query) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("scoring:rating_grid", args=[r.round.pk]), query)
    assert response.status_code == 200
    return [position.customer.name for position, _cells in response.context["rows"]]


def test_only_unrated_keeps_the_accounts_with_a_cell_this_rater_left_empty(client, team_round):
    r = team_round
    # The manager rated both of Alpha's grid cells (Size, Openness): nothing left for them.
    assert _grid_names(client, r, r.rater) == ["Alpha Mine"]
    assert _grid_names(client, r, r.rater, unrated="1") == []
    # The member rated Alpha's Size only; the coordinator rated nothing. The manager's
    # ratings do not count for either of them.
    assert _grid_names(client, r, r.member, unrated="1") == ["Alpha Mine", "Beta Other"]
    assert _grid_names(client, r, r.coordinator, unrated="1") == ["Alpha Mine", "Beta Other"]
    RatingFactory(round=r.round, factor=r.a2, customer=r.mine, rater=r.member, value=Decimal(3))
    assert _grid_names(client, r, r.member, unrated="1") == ["Beta Other"]
    assert _grid_names(client, r, r.coordinator, unrated="1") == ["Alpha Mine", "Beta Other"]
    # A strength rating (on the account page, not in the grid) does not count as a grid cell.
    RatingFactory(round=r.round, factor=r.s1, customer=r.other, rater=r.member, value=Decimal(3))
    assert _grid_names(client, r, r.member, unrated="1") == ["Beta Other"]


def test_search_finds_accounts_by_name_or_code(client, team_round):
    r = team_round
    assert _grid_names(client, r, r.coordinator, q="beta") == ["Beta Other"]
    assert _grid_names(client, r, r.coordinator, q="m1") == ["Alpha Mine"]
    assert _grid_names(client, r, r.coordinator, q="nobody") == []
    # A manager searches within their own accounts only.
    assert _grid_names(client, r, r.rater, q="beta") == []
    assert _grid_names(client, r, r.coordinator, q="alpha", unrated="1") == ["Alpha Mine"]


def test_managers_get_the_search_and_unrated_filters_too(client, team_round):
    client.force_login(team_round.rater)
    page = client.get(reverse("scoring:rating_grid", args=[team_round.round.pk]))
    content = page.content.decode()
    assert 'name="q"' in content and 'name="unrated"' in content
    assert 'name="owner"' not in content


def test_dashboard_counts_accounts_and_factors_left(client, team_round):
    r = team_round
    # The member rates 2 accounts × (Size, Openness, Quality and Delivery for us and Rival):
    # 12 cells, Alpha's Size rated. Both accounts and all four factors have cells left.
    (pending,) = round_pending_for_user(user=r.member)
    assert (pending["accounts_left"], pending["factors_left"]) == (2, 4)
    for factor, competitor in [
        (r.a2, None),
        (r.s1, None),
        (r.s2, None),
        (r.s1, r.competitor),
        (r.s2, r.competitor),
    ]:
        RatingFactory(
            round=r.round,
            factor=factor,
            customer=r.mine,
            rater=r.member,
            competitor=competitor,
            value=Decimal(4),
        )
    RatingFactory(round=r.round, factor=r.a1, customer=r.other, rater=r.member, value=Decimal(4))
    # Alpha is done; Beta has everything but Size left.
    (pending,) = round_pending_for_user(user=r.member)
    assert (pending["accounts_left"], pending["factors_left"], pending["left"]) == (1, 3, 5)
    client.force_login(r.member)
    content = client.get(reverse("dashboard")).content.decode()
    assert "1 account and 3 factors left to rate" in " ".join(content.split())
    assert "(5 ratings of 12)" in " ".join(content.split())
