"""Benchmark: metrics and Pareto recompute over 1,000,000 ledger lines and 50,000 customers.

    .venv/bin/python bench/recompute.py                      # SQLite file under var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kamapp_bench_pareto \\
        .venv/bin/python bench/recompute.py

Generates the ledger once (kept for later runs), then runs the recompute as one process,
twice: the first run on an empty metrics table, the second as a nightly run replacing the
first one's results. Prints the seconds of each. Targets: 5 s on SQLite, 3 s on PostgreSQL.
"""

import os
import sys
import time
from pathlib import Path

import numpy as np

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'bench-recompute.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kamapp.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import (  # noqa: E402
    Customer,
    CustomerMetrics,
    LedgerLine,
    MetricsRun,
    TierSnapshot,
)
from accounts.services import metrics_recompute  # noqa: E402

CUSTOMERS = 50_000
LINES = 1_000_000
MONTHS = 36
SEED = 5


def _copy_or_insert(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", list(rows)
            )


def ledger_generate() -> None:
    """50,000 customers with a Pareto spread of size, 1,000,000 lines over three years."""
    rng = np.random.default_rng(SEED)
    with transaction.atomic():
        CustomerMetrics.objects.all().delete()
        MetricsRun.objects.all().delete()
        LedgerLine.stored.all().delete()
        Customer.objects.all().delete()
        now = "2026-11-01 00:00:00+00"
        _copy_or_insert(
            "accounts_customer",
            ["code", "name", "competitor_targeted", "notes", "created_at", "updated_at"],
            (
                (f"B{n:06d}", f"Bench customer {n}", bool(n % 9 == 0), "", now, now)
                for n in range(CUSTOMERS)
            ),
        )
        ids = np.array(Customer.objects.order_by("code").values_list("pk", flat=True))
        # About 2.5 lines per invoice; an invoice has one customer, date and due date.
        invoices = LINES * 2 // 5
        size = rng.lognormal(0, 1.6, CUSTOMERS)
        invoice_customer = ids[rng.choice(CUSTOMERS, invoices, p=size / size.sum())]
        end = np.datetime64("2026-10-31")
        invoice_day = end - rng.integers(0, MONTHS * 30, invoices).astype("timedelta64[D]")
        invoice_delay = rng.integers(-5, 40, invoices).astype("timedelta64[D]")
        invoice = np.sort(rng.integers(0, invoices, LINES))
        customer = invoice_customer[invoice]
        invoice_date = invoice_day[invoice]
        amount = np.round(rng.lognormal(13, 1.0, LINES), 2)
        amount[rng.random(LINES) < 0.02] *= -0.1
        cost = np.round(amount * rng.uniform(0.6, 0.85, LINES), 2)
        due = invoice_date + np.timedelta64(30, "D")
        paid = due + invoice_delay[invoice]
        rows = zip(
            customer.tolist(),
            (f"INV-{n:08d}" for n in invoice.tolist()),
            (f"{n}" for n in range(LINES)),
            invoice_date.astype(str).tolist(),
            amount.astype(str).tolist(),
            cost.astype(str).tolist(),
            due.astype(str).tolist(),
            paid.astype(str).tolist(),
            strict=True,
        )
        _copy_or_insert(
            "accounts_ledgerline",
            [
                "customer_id",
                "invoice_number",
                "line_key",
                "invoice_date",
                "amount",
                "cost",
                "due_date",
                "paid_date",
                "product_code",
            ],
            ((*row, "P1") for row in rows),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    call_command("migrate", verbosity=0)
    if Customer.objects.count() != CUSTOMERS or LedgerLine.objects.count() != LINES:
        print(f"Generating {LINES:,} ledger lines for {CUSTOMERS:,} customers...", flush=True)
        started = time.perf_counter()
        ledger_generate()
        print(f"  generated in {time.perf_counter() - started:.1f} s")
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    # Start from no results, so the first run is the one after a fresh import.
    with transaction.atomic():
        CustomerMetrics.objects.all().delete()
        TierSnapshot.objects.all().delete()
        MetricsRun.objects.all().delete()
    print(f"Load average before the runs: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    for label in ("first run (empty metrics)", "nightly run (replacing results)"):
        started = time.perf_counter()
        run = metrics_recompute(trigger=MetricsRun.Trigger.COMMAND)
        seconds = time.perf_counter() - started
        tiers = dict(
            CustomerMetrics.objects.values_list("tier").annotate(n=django.db.models.Count("pk"))
        )
        print(
            f"recompute, {label}: {seconds:.2f} s "
            f"({run.customers:,} customers, {run.ledger_lines:,} lines in the period, "
            f"tiers {tiers}, {run.tier_changes} changed tier)"
        )


if __name__ == "__main__":
    main()
