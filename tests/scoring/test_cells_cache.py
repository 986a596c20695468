"""The round's rating cells are cached under its cells token, and a cached copy is never
served for rows that changed, whichever path changed them: services, bulk updates and
inserts, deletes and cascades, raw SQL, a row moved to another round, a reused id, a
rolled-back transaction. Run on SQLite by default and on PostgreSQL with DATABASE_URL: the
triggers differ (row and statement level)."""

from decimal import Decimal
from unittest import mock

import numpy as np
import pytest
from django.core.cache import caches
from django.db import connection, transaction

from accounts.models import Customer
from scoring.models import Consensus, DerivedRating, Factor, Rating, RoundCellsVersion
from scoring.selectors import cells, rating_frame, round_matrix
from tests.factories import (
    CustomerFactory,
    RatingFactory,
    ScoringRoundFactory,
    SegmentFactory,
)


@pytest.fixture(autouse=True)
def cell_cache(settings):
    # The suite runs without it (kamapp/settings_test.py); here it is what is tested.
    settings.CACHES = {
        **settings.CACHES,
        cells.CELL_CACHE: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cells-test",
        },
    }
    caches[cells.CELL_CACHE].clear()


def rows_of(r, queryset=None):
    return cells.cell_rows(
        Rating.objects.all() if queryset is None else queryset, scoring_round=r.round
    )


def token(scoring_round) -> str | None:
    return (
        RoundCellsVersion.objects.filter(round_id=scoring_round.pk)
        .values_list("token", flat=True)
        .first()
    )


def attractiveness(r) -> float:
    return round_matrix(scoring_round=r.round).position(0).attractiveness


@pytest.fixture
def reads():
    with mock.patch.object(cells, "_cell_rows_read", wraps=cells._cell_rows_read) as read:
        yield read


def test_a_second_read_of_unchanged_rows_comes_from_the_cache(rated_round, reads):
    first = rows_of(rated_round)
    again = rows_of(rated_round)
    assert reads.call_count == 1
    np.testing.assert_array_equal(first, again)


def test_the_meeting_frame_is_cached_too_and_keeps_the_raters(rated_round, reads):
    r = rated_round
    frame = rating_frame(scoring_round=r.round)
    again = rating_frame(scoring_round=r.round)
    assert reads.call_count == 1
    assert again.equals(frame)
    assert set(frame["rater"]) == {r.rater.pk}
    assert sorted(frame["value"]) == [4, 4, 5, 6, 8, 9]
    assert frame["competitor"].isna().sum() == 4


def test_a_value_changed_behind_the_services_back_is_read_again(rated_round):
    r = rated_round
    assert attractiveness(r) == pytest.approx(7.4)
    # A bulk update: no model save, no signal, no updated_at.
    Rating.objects.filter(round=r.round, factor=r.a1).update(value=Decimal("4"))
    # 0.6 x 4 + 0.4 x 5 = 4.4
    assert attractiveness(r) == pytest.approx(4.4)


def test_a_rating_saved_through_the_service_is_read_again(rated_round):
    from scoring.services import rating_record

    r = rated_round
    assert attractiveness(r) == pytest.approx(7.4)
    rating_record(
        scoring_round=r.round,
        customer=r.mine,
        factor=r.a2,
        competitor=None,
        rater=r.rater,
        raw_value="10",
    )
    # 0.6 x 9 + 0.4 x 10 = 9.4
    assert attractiveness(r) == pytest.approx(9.4)


@pytest.mark.parametrize(
    "statement, expected",
    [
        # 0.6 x 2 + 0.4 x 5 = 3.2
        ("UPDATE scoring_rating SET value = 2 WHERE factor_id = %(a1)s", 3.2),
        # Openness gone: the attractiveness is not complete, hence not placed.
        ("DELETE FROM scoring_rating WHERE factor_id = %(a2)s", None),
    ],
)
def test_raw_sql_behind_the_orms_back_is_read_again(rated_round, statement, expected):
    r = rated_round
    assert attractiveness(r) == pytest.approx(7.4)
    with connection.cursor() as cursor:
        cursor.execute(statement % {"a1": r.a1.pk, "a2": r.a2.pk})
    assert attractiveness(r) == (None if expected is None else pytest.approx(expected))


def test_rows_inserted_in_bulk_and_by_raw_sql_are_read(rated_round):
    r = rated_round
    rows_of(r)
    Rating.objects.bulk_create(
        [Rating(round=r.round, customer=r.other, factor=r.a1, rater=r.rater, value=Decimal(3))]
    )
    assert r.other.pk in rows_of(r)[:, 0].tolist()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO scoring_rating (round_id, customer_id, factor_id, rater_id, value,"
            " updated_at) VALUES (%s, %s, %s, %s, 7, CURRENT_TIMESTAMP)",
            [r.round.pk, r.other.pk, r.a2.pk, r.rater.pk],
        )
    assert sorted(rows_of(r)[rows_of(r)[:, 0] == r.other.pk, 3].tolist()) == [3, 7]


def test_a_deleted_row_is_gone_from_the_next_read(rated_round):
    r = rated_round
    rows_of(r)
    Rating.objects.filter(round=r.round, factor=r.a2).delete()
    assert r.a2.pk not in rows_of(r)[:, 1].tolist()


def test_a_factor_deleted_takes_its_ratings_from_the_next_read(rated_round):
    r = rated_round
    rows_of(r)
    Factor.objects.filter(pk=r.a2.pk).delete()  # the ratings go by cascade
    assert r.a2.pk not in rows_of(r)[:, 1].tolist()


def test_a_rating_moved_to_another_round_leaves_one_and_reaches_the_other(rated_round):
    r = rated_round
    other_round = ScoringRoundFactory(name="Other round")
    assert len(rows_of(r)) == 6
    assert len(cells.cell_rows(Rating.objects.all(), scoring_round=other_round)) == 0
    Rating.objects.filter(round=r.round, factor=r.a1).update(round=other_round)
    assert len(rows_of(r)) == 5
    assert len(cells.cell_rows(Rating.objects.all(), scoring_round=other_round)) == 1


def test_a_row_replaced_under_the_same_id_is_read_again(rated_round):
    """SQLite gives a new row the highest id just deleted: same count, same top id."""
    r = rated_round
    last = Rating.objects.filter(round=r.round).order_by("-pk").first()
    before = rows_of(r)
    other = CustomerFactory(code="Z9")
    fields = {
        "round": r.round,
        "factor": last.factor,
        "competitor": last.competitor,
        "rater": last.rater,
        "value": last.value,
    }
    reused_id = last.pk  # delete() clears the instance's pk
    last.delete()
    RatingFactory(pk=reused_id, customer=other, **fields)
    after = rows_of(r)
    assert Rating.objects.filter(round=r.round).latest("pk").pk == reused_id
    assert before.shape == after.shape
    assert other.pk in after[:, 0].tolist()
    assert not np.array_equal(before, after)


def test_the_token_changes_inside_the_writing_transaction(rated_round):
    r = rated_round
    before = token(r.round)
    assert before
    with transaction.atomic():
        Rating.objects.filter(round=r.round, factor=r.a1).update(value=Decimal("1"))
        during = token(r.round)
    assert during != before
    assert token(r.round) == during


def test_rows_read_in_a_transaction_rolled_back_are_never_served_after(rated_round):
    """A counter would come back to its old value after a rollback, and the next write
    would give it to other rows: the token is random."""
    r = rated_round
    assert attractiveness(r) == pytest.approx(7.4)
    with pytest.raises(RuntimeError), transaction.atomic():
        Rating.objects.filter(round=r.round, factor=r.a1).update(value=Decimal("1"))
        # 0.6 x 1 + 0.4 x 5 = 2.6, cached under the token of this transaction
        assert attractiveness(r) == pytest.approx(2.6)
        raise RuntimeError("rolled back")
    assert attractiveness(r) == pytest.approx(7.4)
    Rating.objects.filter(round=r.round, factor=r.a1).update(value=Decimal("4"))
    assert attractiveness(r) == pytest.approx(4.4)


def test_a_consensus_recorded_or_cleared_is_read_again(team_round):
    r = team_round
    r.round.status = r.round.Status.MEETING
    r.round.save()
    # Size: mean of 9 and 5 = 7; 0.6 x 7 + 0.4 x 5 = 6.2
    assert attractiveness(r) == pytest.approx(6.2)
    agreed = Consensus.objects.create(
        round=r.round, customer=r.mine, factor=r.a1, value=Decimal("10"), recorded_by=r.rater
    )
    # 0.6 x 10 + 0.4 x 5 = 8
    assert attractiveness(r) == pytest.approx(8)
    Consensus.objects.filter(pk=agreed.pk).update(value=Decimal("0"))
    # 0.6 x 0 + 0.4 x 5 = 2
    assert attractiveness(r) == pytest.approx(2)
    agreed.delete()
    assert attractiveness(r) == pytest.approx(6.2)


def test_a_derived_rating_written_renews_the_token(rated_round):
    r = rated_round
    before = token(r.round)
    derived = DerivedRating.objects.create(
        round=r.round, customer=r.other, factor=r.a1, value=Decimal("3")
    )
    after_insert = token(r.round)
    DerivedRating.objects.filter(pk=derived.pk).update(value=Decimal("4"))
    after_update = token(r.round)
    derived.delete()
    assert len({before, after_insert, after_update, token(r.round)}) == 4


def test_weights_and_cutoffs_apply_to_cached_rows_at_once(rated_round, reads):
    """Only the rows are cached: factors and cut-offs are read on every matrix."""
    r = rated_round
    assert attractiveness(r) == pytest.approx(7.4)
    Factor.objects.filter(pk=r.a1.pk).update(weight=20)
    Factor.objects.filter(pk=r.a2.pk).update(weight=80)
    # 0.2 x 9 + 0.8 x 5 = 5.8
    assert attractiveness(r) == pytest.approx(5.8)
    assert round_matrix(scoring_round=r.round).position(0).box == "key"
    r.round.attractiveness_cutoff = Decimal("6")
    r.round.save()
    assert round_matrix(scoring_round=r.round).position(0).box != "key"
    assert reads.call_count == 2  # ratings and consensus, once each


def test_a_filtered_matrix_follows_an_account_moved_into_the_filter(rated_round, reads):
    """A filter reads the round's cached rows and keeps its accounts: an account that
    changes segment is in the next read with its ratings."""
    r = rated_round
    segment = SegmentFactory(name="Retail")
    assert round_matrix(scoring_round=r.round, segment_id=segment.pk).customers == []
    Customer.objects.filter(pk=r.mine.pk).update(segment=segment)
    matrix = round_matrix(scoring_round=r.round, segment_id=segment.pk)
    assert [c.pk for c in matrix.customers] == [r.mine.pk]
    assert matrix.position(0).attractiveness == pytest.approx(7.4)


def test_each_query_has_its_own_entry(rated_round):
    r = rated_round
    everyone = rows_of(r)
    nobody_else = rows_of(r, Rating.objects.exclude(rater=r.rater))
    assert len(everyone) == 6
    assert len(nobody_else) == 0


def test_a_query_through_another_table_is_refused(rated_round):
    """Only the cell rows renew the token: a filter through a join could go stale."""
    with pytest.raises(ValueError):
        rows_of(rated_round, Rating.objects.filter(customer__name="Alpha Mine"))


def test_a_few_accounts_and_a_round_without_token_are_read_straight(rated_round, reads):
    r = rated_round
    for _ in range(2):
        cells.cell_rows(Rating.objects.all(), scoring_round=r.round, customers=[r.mine.pk])
    assert reads.call_count == 2
    RoundCellsVersion.objects.filter(round_id=r.round.pk).delete()
    rows_of(r)
    rows_of(r)
    assert reads.call_count == 4
