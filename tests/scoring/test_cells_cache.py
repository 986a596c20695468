"""The matrix's rating cells are cached, and a cached copy is never served for rows that
changed, whichever path changed them (services, bulk updates, deletes, a reused id)."""

from decimal import Decimal
from unittest import mock

import numpy as np
import pytest
from django.core.cache import caches

from scoring.models import Rating
from scoring.selectors import cells, round_matrix
from tests.factories import CustomerFactory, RatingFactory


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


def rows_of(r):
    return cells.cell_rows(Rating.objects.filter(round=r.round))


def test_a_second_read_of_unchanged_rows_comes_from_the_cache(rated_round):
    first = rows_of(rated_round)
    with mock.patch.object(cells, "_cell_rows_read", wraps=cells._cell_rows_read) as read:
        again = rows_of(rated_round)
    assert read.call_count == 0
    np.testing.assert_array_equal(first, again)


def test_a_value_changed_behind_the_services_back_is_read_again(rated_round):
    r = rated_round
    assert round_matrix(scoring_round=r.round).position(0).attractiveness == pytest.approx(7.4)
    # A bulk update: no model save, no signal, no updated_at.
    Rating.objects.filter(round=r.round, factor=r.a1).update(value=Decimal("4"))
    # 0.6 x 4 + 0.4 x 5 = 4.4
    assert round_matrix(scoring_round=r.round).position(0).attractiveness == pytest.approx(4.4)


def test_a_deleted_row_is_gone_from_the_next_read(rated_round):
    r = rated_round
    rows_of(r)
    Rating.objects.filter(round=r.round, factor=r.a2).delete()
    assert r.a2.pk not in rows_of(r)[:, 1].tolist()


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


def test_each_query_has_its_own_entry(rated_round):
    r = rated_round
    everyone = rows_of(r)
    nobody_else = cells.cell_rows(Rating.objects.filter(round=r.round).exclude(rater=r.rater))
    assert len(everyone) == 6
    assert len(nobody_else) == 0
