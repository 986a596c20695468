"""The matrix as loaded from the database, against hand-computed values."""

from decimal import Decimal

import pytest

from scoring import engine
from scoring.selectors import round_matrix
from tests.factories import CustomerFactory, RatingFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_round_matrix_places_the_rated_account(rated_round):
    matrix = round_matrix(scoring_round=rated_round.round)
    position = matrix.by_customer()[rated_round.mine.pk]
    assert position.attractiveness == pytest.approx(7.4)
    assert position.our_strength == pytest.approx(7.0)
    assert position.best_competitor == "Rival"
    assert position.best_competitor_strength == pytest.approx(4.0)
    assert position.relative_strength == pytest.approx(70 / 11)
    assert position.box == engine.KEY
    assert position.box_label == "Key"
    assert position.attractiveness_contributions == pytest.approx([5.4, 2.0])


def test_unrated_account_is_listed_as_missing_everything(rated_round):
    position = round_matrix(scoring_round=rated_round.round).by_customer()[rated_round.other.pk]
    assert not position.complete
    assert position.rated_nothing
    assert position.missing == ["Size", "Openness", "Quality (us)", "Delivery (us)"]


def test_what_is_missing_is_named_in_the_language_each_position_is_built_in(rated_round):
    """The cells' names are built once per matrix, and once per language."""
    from unittest import mock

    from django.utils import translation

    r = rated_round
    r.s2.ratings.filter(competitor=r.competitor).delete()
    matrix = round_matrix(scoring_round=r.round)
    row = [c.pk for c in matrix.customers].index(r.other.pk)
    in_language = mock.patch(
        "scoring.selectors.matrix._",
        side_effect=lambda text: f"[{translation.get_language()}] {text}",
    )
    with in_language:
        assert matrix.position(row).missing[2:] == ["[en] Quality (us)", "[en] Delivery (us)"]
        with translation.override("id"):
            assert matrix.position(row).missing[3] == "[id] Delivery (us)"
        mine = [c.pk for c in matrix.customers].index(r.mine.pk)
        assert matrix.position(mine).missing == ["[en] Delivery (Rival)"]


def test_partly_rated_competitor_is_named_in_what_is_missing(rated_round):
    r = rated_round
    r.s2.ratings.filter(competitor=r.competitor).delete()
    position = round_matrix(scoring_round=r.round).by_customer()[r.mine.pk]
    assert position.missing == ["Delivery (Rival)"]
    assert position.box == engine.NOT_PLACED


def test_cells_rated_by_several_people_use_the_mean(rated_round):
    r = rated_round
    team = UserFactory(username="second", role="selection_team")
    RatingFactory(round=r.round, factor=r.a1, customer=r.mine, rater=team, value=Decimal("5"))
    # Size becomes (9 + 5) / 2 = 7 → 0.6×7 + 0.4×5 = 6.2
    position = round_matrix(scoring_round=r.round).by_customer()[r.mine.pk]
    assert position.attractiveness == pytest.approx(6.2)
    own = round_matrix(scoring_round=r.round, rater=team).by_customer()[r.mine.pk]
    assert own.attractiveness_ratings == [5.0, None]


def test_box_names_follow_the_company_settings(rated_round):
    from accounts.models import CompanySettings

    settings = CompanySettings.load()
    settings.box_key_name = "Strategic"
    settings.save()
    position = round_matrix(scoring_round=rated_round.round).by_customer()[rated_round.mine.pk]
    assert position.box_label == "Strategic"


def test_round_cutoffs_move_the_box(rated_round):
    r = rated_round
    r.round.attractiveness_cutoff = Decimal("7.5")
    r.round.save()
    position = round_matrix(scoring_round=r.round).by_customer()[r.mine.pk]
    assert position.box == engine.MAINTENANCE


def test_filters_by_segment_owner_and_box(rated_round):
    r = rated_round
    assert [
        p.customer.pk for p in round_matrix(scoring_round=r.round, owner_id=r.rater.pk).positions
    ] == [r.mine.pk]
    assert [
        p.customer.pk
        for p in round_matrix(scoring_round=r.round, segment_id=r.other.segment_id).positions
    ] == [r.other.pk]
    assert [
        p.customer.pk for p in round_matrix(scoring_round=r.round, box=engine.KEY).positions
    ] == [r.mine.pk]


def test_matrix_queries_do_not_grow_with_accounts(rated_round):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            round_matrix(scoring_round=rated_round.round)
        return len(captured)

    before = count_queries()
    CustomerFactory.create_batch(40)
    assert count_queries() == before


def test_round_matrix_of_no_account_is_empty(rated_round):
    """A sales manager who owns no account, a filter that matches none: nothing placed."""
    matrix = round_matrix(scoring_round=rated_round.round, customer_ids=[])
    assert matrix.customers == [] and matrix.positions == []


def test_rating_grid_of_a_manager_without_accounts_is_empty(client, rated_round):
    from django.urls import reverse

    client.force_login(UserFactory(username="no-accounts", role="sales_manager"))
    response = client.get(reverse("scoring:rating_grid", args=[rated_round.round.pk]))
    assert response.status_code == 200
    assert "Alpha Mine" not in response.content.decode()
