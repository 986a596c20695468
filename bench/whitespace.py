"""Benchmark: the whitespace matrix against the metrics recompute, on the same ledger.

    .venv/bin/python bench/whitespace.py                 # a temporary SQLite database

5,000 accounts in 10 segments, 50 product groups (500 product codes, mapped by 50 prefix
rules and a few exact ones), 1,000,000 ledger lines over three years, 500 key accounts in
a decided round. Runs the metrics recompute and the whitespace computation alternately,
ROUNDS times each, and prints the median seconds of each and their ratio, measured in the
same run. Target: the whitespace matrix (every account × every group: spend, penetration,
medians, up-sell signals and cross-sell candidates) in at most 2x the recompute.
Also prints the matrix page's selector (the computation and one page of rows).
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
TEMP_DIR = Path(tempfile.mkdtemp(prefix="bench-whitespace-"))
os.environ["DATABASE_URL"] = f"sqlite:///{TEMP_DIR / 'whitespace.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kamapp.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import Customer, MetricsRun, Segment  # noqa: E402
from accounts.services import metrics_recompute  # noqa: E402
from planning.models import ProductGroupRule  # noqa: E402
from planning.selectors import whitespace_load, whitespace_matrix  # noqa: E402
from scoring.models import Decision, ScoringRound  # noqa: E402

ACCOUNTS = 5_000
SEGMENTS = 10
GROUPS = 50
CODES_PER_GROUP = 10
LINES = 1_000_000
KEY_ACCOUNTS = 500
MONTHS = 36
ROUNDS = 3
SEED = 15


def _insert(table: str, columns: list[str], rows) -> None:
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", list(rows)
        )


def data_generate() -> None:
    """Accounts that each buy a random share of the groups (5 to 45 of 50), so segments
    have candidates to offer; lines spread over the accounts by a Pareto-like size."""
    rng = np.random.default_rng(SEED)
    now = "2026-11-01 00:00:00+00"
    with transaction.atomic():
        segments = [Segment.objects.create(name=f"Segment {n}") for n in range(SEGMENTS)]
        _insert(
            "accounts_customer",
            [
                "code",
                "name",
                "segment_id",
                "competitor_targeted",
                "notes",
                "created_at",
                "updated_at",
            ],
            (
                (f"W{n:05d}", f"Account {n}", segments[n % SEGMENTS].pk, False, "", now, now)
                for n in range(ACCOUNTS)
            ),
        )
        ids = np.array(Customer.objects.order_by("code").values_list("pk", flat=True))
        size = rng.lognormal(0, 1.4, ACCOUNTS)
        line_account = rng.choice(ACCOUNTS, LINES, p=size / size.sum())
        # Each account's own order of the groups and how many of them it buys.
        orders = np.argsort(rng.random((ACCOUNTS, GROUPS)), axis=1)
        bought = rng.integers(5, GROUPS - 4, ACCOUNTS)
        pick = (rng.random(LINES) * bought[line_account]).astype(np.int64)
        group = orders[line_account, pick]
        code = group * CODES_PER_GROUP + rng.integers(0, CODES_PER_GROUP, LINES)
        end = np.datetime64("2026-10-31")
        day = end - rng.integers(0, MONTHS * 30, LINES).astype("timedelta64[D]")
        amount = np.round(rng.lognormal(11, 1.0, LINES), 2)
        amount[rng.random(LINES) < 0.02] *= -0.1
        rows = zip(
            ids[line_account].tolist(),
            (f"INV-{n:08d}" for n in range(LINES)),
            day.astype(str).tolist(),
            amount.astype(str).tolist(),
            (f"G{c // CODES_PER_GROUP:02d}-{c % CODES_PER_GROUP:03d}" for c in code.tolist()),
            strict=True,
        )
        _insert(
            "accounts_ledgerline",
            ["customer_id", "invoice_number", "line_key", "invoice_date", "amount", "product_code"],
            (
                (customer, invoice, "1", date, value, product)
                for customer, invoice, date, value, product in rows
            ),
        )
        ProductGroupRule.objects.bulk_create(
            [
                ProductGroupRule(pattern=f"G{g:02d}-", is_prefix=True, group=f"Group {g:02d}")
                for g in range(GROUPS)
            ]
            # A few exact codes of group 0 counted in group 1: the exact rule wins.
            + [
                ProductGroupRule(pattern=f"G00-00{n}", is_prefix=False, group="Group 01")
                for n in range(3)
            ]
        )
        decided = ScoringRound.objects.create(name="Bench round", status="decided")
        keys = rng.choice(ids, KEY_ACCOUNTS, replace=False)
        Decision.objects.bulk_create(
            Decision(round=decided, customer_id=int(pk), choice="key", coverage="farmer")
            for pk in keys
        )


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    try:
        call_command("migrate", verbosity=0)
        print(f"Generating {LINES:,} ledger lines for {ACCOUNTS:,} accounts...", flush=True)
        print(f"  generated in {timed(data_generate):.1f} s")
        print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
        data = whitespace_load()
        cells = data.result.cells
        print(
            f"Whitespace: {cells['customer_id'].nunique():,} accounts with spend, "
            f"{len(data.result.groups)} groups, {len(cells):,} cells, "
            f"{int(cells['upsell'].sum()):,} up-sell signals, "
            f"{len(data.result.candidates):,} cross-sell candidates, "
            f"period {data.period[0]} to {data.period[1]}"
        )
        load_before = os.getloadavg()
        recompute, matrix, page = [], [], []
        for _ in range(ROUNDS):
            recompute.append(timed(lambda: metrics_recompute(trigger=MetricsRun.Trigger.COMMAND)))
            matrix.append(timed(whitespace_load))
            page.append(timed(lambda: whitespace_matrix(scope="all")))
        load_after = os.getloadavg()
        print(
            f"Load average (1, 5, 15 min) before: {load_before[0]:.2f} {load_before[1]:.2f} "
            f"{load_before[2]:.2f}; after: {load_after[0]:.2f} {load_after[1]:.2f} "
            f"{load_after[2]:.2f} ({os.cpu_count()} cores)"
        )
        base = statistics.median(recompute)
        for label, timings in (
            ("metrics recompute", recompute),
            ("whitespace matrix, every account", matrix),
            ("whitespace page (matrix and 50 rows)", page),
        ):
            median = statistics.median(timings)
            runs = ", ".join(f"{t:.2f}" for t in timings)
            print(f"  {label}: median {median:.2f} s ({runs}), {median / base:.2f}x the recompute")
        ratio = statistics.median(matrix) / base
        verdict = "met" if ratio <= 2 else "MISSED"
        print(f"Whitespace matrix / recompute: {ratio:.2f}x (target <= 2x: {verdict})")
    finally:
        connection.close()
        shutil.rmtree(TEMP_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
