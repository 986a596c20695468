"""Bulk writes of checked ledger lines through each database's fast path.

SQLite: `executemany` of plain tuples; PostgreSQL: `COPY` into a temporary table, then
`INSERT ... SELECT`. Both end in `ON CONFLICT DO NOTHING`, so lines already stored are
counted, not doubled. No model object is built per line. The caller holds the transaction.
Every line records its import; `import_lines_delete` takes a failed import's lines away,
and `import_customers_delete` the customers it created that nothing used.
"""

import io
from collections.abc import Callable
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Customer, LedgerLine

CHUNK_ROWS = 100_000
LINE_FIELDS = (
    "ledger_import",
    "customer",
    "invoice_number",
    "line_key",
    "invoice_date",
    "amount",
    "quantity",
    "product_code",
    "cost",
    "due_date",
    "paid_date",
    "currency",
    "original_amount",
    "exchange_rate",
)
IN_CLAUSE_SIZE = 900  # under SQLite's oldest limit of 999 parameters

Progress = Callable[[int], None]


def _columns(model, names) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


def _quoted(names: list[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def customer_ids_resolve(*, lines: pd.DataFrame, ledger_import_id: int) -> tuple[np.ndarray, int]:
    """Each line's customer id, creating the customers met for the first time (each
    recording the import that created it).

    Returns the ids (aligned with `lines`) and how many customers were created.
    """
    codes = lines["customer_code"]
    named = lines.loc[lines["customer_name"] != "", ["customer_code", "customer_name"]]
    names = named.drop_duplicates("customer_code").set_index("customer_code")["customer_name"]
    unique = codes.drop_duplicates().tolist()
    known = _customer_ids(unique)
    missing = [code for code in unique if code not in known]
    created = 0
    if missing:
        created = _customers_insert(missing, names, ledger_import_id)
        known.update(_customer_ids(missing))
    ids = codes.map(pd.Series(known, dtype=np.int64)).to_numpy(dtype=np.int64)
    return ids, created


def _customer_ids(codes: list[str]) -> dict[str, int]:
    if connection.vendor == "postgresql":  # one query with an array, whatever the count
        table = connection.ops.quote_name(Customer._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT code, id FROM {table} WHERE code = ANY(%s)", [codes])
            return dict(cursor.fetchall())
    found: dict[str, int] = {}
    for start in range(0, len(codes), IN_CLAUSE_SIZE):
        chunk = codes[start : start + IN_CLAUSE_SIZE]
        found.update(Customer.objects.filter(code__in=chunk).values_list("code", "id"))
    return found


def _customers_insert(codes: list[str], names: pd.Series, ledger_import_id: int) -> int:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    fields = ["code", "name", "competitor_targeted", "notes", "created_at", "updated_at"]
    columns = _columns(Customer, [*fields, "created_by_import"])
    table = connection.ops.quote_name(Customer._meta.db_table)
    code_column = connection.ops.quote_name(Customer._meta.get_field("code").column)
    sql = (
        f"INSERT INTO {table} ({_quoted(columns)}) VALUES (%s, %s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT ({code_column}) DO NOTHING"
    )
    name_of = names.reindex(codes).fillna("").tolist()
    name_of = [name or code for code, name in zip(codes, name_of, strict=True)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one statement over arrays
            cursor.execute(
                f"INSERT INTO {table} ({_quoted(columns)}) "
                "SELECT code, name, false, '', %s, %s, %s FROM unnest(%s::text[], %s::text[]) "
                f"AS new (code, name) ON CONFLICT ({code_column}) DO NOTHING",
                [now, now, ledger_import_id, codes, name_of],
            )
        else:
            pairs = zip(codes, name_of, strict=True)
            rows = [(code, name, False, "", now, now, ledger_import_id) for code, name in pairs]
            cursor.executemany(sql, rows)
        return max(cursor.rowcount, 0)


def ledger_lines_insert(
    *,
    lines: pd.DataFrame,
    customer_ids: np.ndarray,
    ledger_import_id: int,
    progress: Progress | None = None,
) -> int:
    """Insert the lines not stored yet, as the import's; returns how many were new."""
    if lines.empty:
        return 0
    insert = _lines_insert_postgresql if connection.vendor == "postgresql" else _lines_insert_sqlite
    inserted = 0
    for start in range(0, len(lines), CHUNK_ROWS):
        part = lines.iloc[start : start + CHUNK_ROWS]
        inserted += insert(_arrow_chunk(part, customer_ids[start:], ledger_import_id))
        if progress:
            progress(min(start + CHUNK_ROWS, len(lines)))
    return inserted


def import_customers_delete(*, ledger_import_id: int) -> int:
    """Delete the customers one import created that nothing has used since: unchanged, and
    named by no row of any model (every relation to Customer is asked: another import's
    lines, ratings, contacts, metrics...). What a failed import removes with its lines, so
    the customer list is as it was. How many went."""
    unused = Customer.objects.filter(created_by_import_id=ledger_import_id)
    unused = unused.filter(updated_at=F("created_at"))
    for relation in Customer._meta.related_objects:
        name = relation.field.name
        rows = relation.related_model._base_manager.filter(
            **{f"{name}__created_by_import_id": ledger_import_id}
        )
        unused = unused.exclude(pk__in=rows.values(name))
    _total, by_model = unused.delete()
    return by_model.get(Customer._meta.label, 0)


def import_lines_delete(*, ledger_import_id: int, batch: int = CHUNK_ROWS) -> int:
    """Delete the lines one import stored, and no other's, `batch` at a time.

    Each batch is a short transaction of its own (unless the caller holds one), so other
    writers wait for one batch at most. Returns how many lines went.
    """
    table = connection.ops.quote_name(LedgerLine._meta.db_table)
    column = connection.ops.quote_name(LedgerLine._meta.get_field("ledger_import").column)
    sql = f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE {column} = %s LIMIT %s)"
    deleted = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [ledger_import_id, batch])
            count = cursor.rowcount
        deleted += count
        if count < batch:
            return deleted


def _arrow_chunk(lines: pd.DataFrame, customer_ids: np.ndarray, ledger_import_id: int) -> pa.Table:
    """The chunk's columns in the order of LINE_FIELDS, as Arrow arrays (nulls for blanks)."""

    def dates(name: str) -> pa.Array:
        return pa.array(lines[name].to_numpy("datetime64[D]"), type=pa.date32())

    def decimals(name: str) -> pa.Array:
        if name not in lines.columns:
            return pa.nulls(len(lines), type=pa.float64())
        values = lines[name].to_numpy(dtype=np.float64)
        return pa.array(values, mask=np.isnan(values), type=pa.float64())

    return pa.table(
        {
            "ledger_import": pa.array(np.full(len(lines), ledger_import_id), type=pa.int64()),
            "customer": pa.array(customer_ids[: len(lines)], type=pa.int64()),
            "invoice_number": pa.array(lines["invoice_number"], type=pa.string()),
            "line_key": pa.array(lines["line_key"], type=pa.string()),
            "invoice_date": dates("invoice_date"),
            "amount": decimals("amount"),
            "quantity": decimals("quantity"),
            "product_code": pa.array(lines["product_code"], type=pa.string()),
            "cost": decimals("cost"),
            "due_date": dates("due_date"),
            "paid_date": dates("paid_date"),
            # Only lines converted from another currency carry these (blank otherwise).
            "currency": pa.array(_or_blank(lines, "currency"), type=pa.string()),
            "original_amount": decimals("original_amount"),
            "exchange_rate": pa.array(
                [None if rate is None else str(rate) for rate in _or_blank(lines, "exchange_rate")],
                type=pa.string(),
            ),
        }
    )


def _or_blank(lines: pd.DataFrame, name: str, blank=None) -> list:
    if name in lines.columns:
        return lines[name].tolist()
    return [blank] * len(lines)


def _without_blank_columns(chunk: pa.Table) -> pa.Table:
    """Leave out optional columns the file did not fill: fewer values to send per line."""
    blank = [name for name in chunk.column_names if chunk[name].null_count == len(chunk)]
    return chunk.drop_columns(blank)


def _lines_insert_sqlite(chunk: pa.Table) -> int:
    chunk = _without_blank_columns(chunk)
    columns = _columns(LedgerLine, chunk.column_names)
    table = connection.ops.quote_name(LedgerLine._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({_quoted(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))}) ON CONFLICT DO NOTHING"
    )
    # SQLite keeps dates as ISO text; Arrow's cast writes exactly that.
    values = [
        (pc.cast(column, pa.string()) if pa.types.is_date(column.type) else column).to_pylist()
        for column in chunk.columns
    ]
    connection.ensure_connection()
    cursor = connection.connection.cursor()  # the raw driver: no per-row wrapping or logging
    try:
        cursor.executemany(sql, zip(*values, strict=True))
        return cursor.rowcount
    finally:
        cursor.close()


@contextmanager
def sqlite_page_cache(size_kib: int = 262_144):
    """A larger page cache while storing: index pages stay in memory (SQLite only)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(size_kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _lines_insert_postgresql(chunk: pa.Table) -> int:
    chunk = _without_blank_columns(chunk)
    columns = _columns(LedgerLine, chunk.column_names)
    table = connection.ops.quote_name(LedgerLine._meta.db_table)
    texts = ["invoice_number", "line_key", "product_code", "currency"]
    not_null = _quoted(_columns(LedgerLine, [name for name in texts if name in chunk.column_names]))
    everything = _quoted(_columns(LedgerLine, LINE_FIELDS))
    buffer = io.BytesIO()
    pa_csv.write_csv(chunk, buffer, pa_csv.WriteOptions(include_header=False))
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS ledger_stage "
            f"ON COMMIT DROP AS SELECT {everything} FROM {table} WITH NO DATA"
        )
        copy_sql = (
            f"COPY ledger_stage ({_quoted(columns)}) FROM STDIN "
            f"(FORMAT csv, FORCE_NOT_NULL ({not_null}))"
        )
        with cursor.copy(copy_sql) as copy:
            copy.write(buffer.getbuffer())
        cursor.execute(
            f"INSERT INTO {table} ({_quoted(columns)}) SELECT {_quoted(columns)} "
            "FROM ledger_stage ON CONFLICT DO NOTHING"
        )
        inserted = cursor.rowcount
        cursor.execute("TRUNCATE ledger_stage")
        return inserted
