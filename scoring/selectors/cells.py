"""Loading a round's rating cells into the engine's arrays, straight from the cursor (cached
under the round's cells token), and the matrix's cells from them."""

import hashlib
import io

import numpy as np
import pandas as pd
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import FloatField, IntegerField, QuerySet, Value
from django.db.models.functions import Cast

from ..models import Consensus, DerivedRating, Rating, RoundCellsVersion, ScoringRound

CELL_CACHE = "cells"
CELL_CACHE_SECONDS = 15 * 60


def _ids(objects) -> np.ndarray:
    return np.array([obj.pk for obj in objects], dtype=float)


def _index_of(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Position of each value in keys, or -1 where it is not there."""
    if len(keys) == 0:
        return np.full(len(values), -1)
    order = np.argsort(keys)
    sorted_keys = keys[order]
    found = np.clip(np.searchsorted(sorted_keys, values), 0, len(keys) - 1)
    return np.where(sorted_keys[found] == values, order[found], -1)


_READ_HERE = object()


def cells_token(*, scoring_round: ScoringRound, using: str = "default") -> str | None:
    """The round's cells token now; None while its cells were never written."""
    return (
        RoundCellsVersion.objects.using(using)
        .filter(round_id=scoring_round.pk)
        .values_list("token", flat=True)
        .first()
    )


def cell_rows(
    queryset: QuerySet,
    *,
    scoring_round: ScoringRound,
    customers: QuerySet | list[int] | None = None,
    with_rater: bool = False,
    token=_READ_HERE,
) -> np.ndarray:
    """(customer, factor, competitor or NaN, value[, rater]) per row of the round's ratings,
    consensus values or derived ratings in `queryset`.

    Read through the cursor, not model instances or converters: a round of 5,000 accounts
    holds well over 100,000 ratings and this is the matrix page's hot path. The whole
    round's rows are cached under the query and the round's cells token, which triggers in
    the database renew on every insert, change or delete of a cell row by whatever path
    (`scoring.models.RoundCellsVersion`), so a cached copy is never served for rows that
    changed; the token is one indexed lookup. `queryset` may filter only on the rows' own
    columns (a rater), as nothing else renews the token. With `customers` (a grid page, one
    account) only their rows are read, straight: a few, through the (round, customer) index.
    A caller reading several queries of one round may pass the `token` it read (with
    `cells_token`) before the first of them.
    """
    queryset = queryset.filter(round_id=scoring_round.pk)
    if customers is not None:
        ids = customers.values("pk") if isinstance(customers, QuerySet) else customers
        queryset = queryset.filter(customer_id__in=ids)
    columns = ["customer_id", "factor_id", "competitor_id", Cast("value", FloatField())]
    query = queryset.values_list(*columns, *(["rater_id"] if with_rater else [])).query
    width = len(columns) + with_rater
    try:
        sql, params = query.sql_with_params()
    except EmptyResultSet:  # a scope Django knows is empty (no account): no SQL at all
        return np.empty((0, width))
    if customers is not None:
        return _cell_rows_read(queryset, sql, params, width)
    if sum(1 for count in query.alias_refcount.values() if count) > 1:
        raise ValueError("Cached cell rows filter on their own columns only, never a join.")
    if token is _READ_HERE:
        # Read before the rows: rows read after it are at least as new as the token says.
        token = cells_token(scoring_round=scoring_round, using=queryset.db)
    if token is None:  # no token (never written since the triggers exist): not cached
        return _cell_rows_read(queryset, sql, params, width)
    key = "cells:" + hashlib.sha256(repr((queryset.db, sql, params, token)).encode()).hexdigest()
    rows = caches[CELL_CACHE].get(key)
    if rows is None:
        rows = _cell_rows_read(queryset, sql, params, width)
        caches[CELL_CACHE].set(key, rows, timeout=CELL_CACHE_SECONDS)
    return rows


def _cell_rows_read(queryset: QuerySet, sql: str, params, width: int) -> np.ndarray:
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows as one CSV text built by the server, parsed in C by pandas: a COPY
            # hands Python one chunk per row, and a fetch one tuple per row, each several
            # times the CPU of this. A NULL (no competitor) is an empty field, read as NaN;
            # float8's text is its shortest exact form, so each value reads back the same.
            fields = ", ',', ".join(f"t.c{index}" for index in range(width))
            aliases = ", ".join(f"c{index}" for index in range(width))
            cursor.execute(
                f"SELECT string_agg(concat({fields}), E'\\n') FROM ({sql}) t({aliases})",
                params,
            )
            (text,) = cursor.fetchone()
            if not text:
                return np.empty((0, width))
            return pd.read_csv(io.StringIO(text), header=None, dtype=float).to_numpy()
        cursor.execute(sql, params)
        return np.array(cursor.fetchall(), dtype=float).reshape(-1, width)


def _mean_cells(flat_index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Mean of the values falling in each cell, NaN where a cell has none, and the counts."""
    sums = np.bincount(flat_index, weights=values, minlength=size)
    counts = np.bincount(flat_index, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan), counts


def cell_means(
    rows: np.ndarray, *, customers, attractiveness_factors, strength_factors, competitors
) -> tuple[np.ndarray, np.ndarray]:
    """Place (customer, factor, competitor, value) rows in the rating arrays, averaging
    where several people rated the same cell: (N, Fa) and (N, 1 + C, Fs), NaN if unrated,
    then how many ratings each cell pools, in the same shapes."""
    count, subjects = len(customers), 1 + len(competitors)
    fa, fs = len(attractiveness_factors), len(strength_factors)
    row = _index_of(_ids(customers), rows[:, 0])
    a_column = _index_of(_ids(attractiveness_factors), rows[:, 1])
    s_column = _index_of(_ids(strength_factors), rows[:, 1])
    is_us = np.isnan(rows[:, 2])
    competitor_index = _index_of(_ids(competitors), np.nan_to_num(rows[:, 2], nan=-1))
    subject = np.where(is_us, 0, np.where(competitor_index >= 0, competitor_index + 1, -1))
    on_attractiveness = (row >= 0) & (a_column >= 0) & is_us
    on_strength = (row >= 0) & (s_column >= 0) & (subject >= 0)
    attractiveness, a_counts = _mean_cells(
        row[on_attractiveness] * fa + a_column[on_attractiveness],
        rows[on_attractiveness, 3],
        count * fa,
    )
    strength, s_counts = _mean_cells(
        (row[on_strength] * subjects + subject[on_strength]) * fs + s_column[on_strength],
        rows[on_strength, 3],
        count * subjects * fs,
    )
    a_shape, s_shape = (count, fa), (count, subjects, fs)
    return (
        attractiveness.reshape(a_shape),
        strength.reshape(s_shape),
        a_counts.reshape(a_shape),
        s_counts.reshape(s_shape),
    )


def round_cell_means(
    *,
    scoring_round: ScoringRound,
    rater,
    customer_ids: list[int] | None,
    customers,
    attractiveness_factors,
    strength_factors,
    competitors,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The matrix's cells as cell_means gives them, for `customers`: one rater's ratings,
    or everyone's mean with the team's consensus over it; derived factors from their
    metric, the same for everyone."""
    # A segment, owner or tier filter reads the whole round's cached rows: cell_means keeps
    # those of `customers` only. A list of accounts (a grid page, one cell) reads theirs, by
    # the ids themselves (a subquery of customers can tempt the planner into a nested loop).
    limited_to = list(customer_ids) if customer_ids is not None else None
    ratings = Rating.objects.all() if rater is None else Rating.objects.filter(rater=rater)
    cells = {
        "customers": customers,
        "attractiveness_factors": attractiveness_factors,
        "strength_factors": strength_factors,
        "competitors": competitors,
    }

    # One token for the round's three reads, read before the first of them.
    token = cells_token(scoring_round=scoring_round) if limited_to is None else None

    def rows(queryset):
        return cell_rows(queryset, scoring_round=scoring_round, customers=limited_to, token=token)

    attractiveness_ratings, strength_ratings, a_counts, s_counts = cell_means(
        rows(ratings), **cells
    )
    if rater is None:
        # Where the team agreed a value, it replaces the mean of the individual ratings.
        agreed_attractiveness, agreed_strength, *_counts = cell_means(
            rows(Consensus.objects.all()), **cells
        )
        a_counts = np.where(np.isnan(agreed_attractiveness), a_counts, 1)
        s_counts = np.where(np.isnan(agreed_strength), s_counts, 1)
        attractiveness_ratings = np.where(
            np.isnan(agreed_attractiveness), attractiveness_ratings, agreed_attractiveness
        )
        strength_ratings = np.where(np.isnan(agreed_strength), strength_ratings, agreed_strength)
    derived_columns = [col for col, f in enumerate(attractiveness_factors) if f.metric]
    derived_strength = [col for col, f in enumerate(strength_factors) if f.metric]
    if derived_columns or derived_strength:
        # Rated from their metric, the same for everyone (on strength: only our own cell).
        derived = DerivedRating.objects.annotate(
            competitor_id=Value(None, output_field=IntegerField())
        )
        derived_a, derived_s, *_counts = cell_means(rows(derived), **cells)
        attractiveness_ratings[:, derived_columns] = derived_a[:, derived_columns]
        strength_ratings[:, 0, derived_strength] = derived_s[:, 0, derived_strength]
        a_counts[:, derived_columns], s_counts[:, 0, derived_strength] = 1, 1

    return attractiveness_ratings, strength_ratings, a_counts, s_counts
