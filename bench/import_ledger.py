"""Benchmark: our ledger import against django-import-export tuned for speed.

Generates a ledger CSV (1,000,000 lines, 50,000 customers by default), imports it end to end
(read, validate, store) in a fresh process, then imports 10,000 rows of the same kind with
django-import-export (`use_bulk`, `batch_size=1000`, `skip_diff`) on the same database, and
prints rows, seconds, rows/s, peak memory and the ratio. Peak memory is the child process's
own peak resident set (getrusage), checked against the parent's view of its children.

    .venv/bin/python bench/import_ledger.py                     # SQLite: bench/out/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kamapp_bench_import \\
        .venv/bin/python bench/import_ledger.py                 # PostgreSQL (created if missing)
    .venv/bin/python bench/import_ledger.py --excel             # the same lines as an .xlsx

The database must be a benchmark database (its name contains "bench"): its ledger lines and
customers are deleted before each run.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TARGET_SECONDS = {"sqlite": 15.0, "postgresql": 20.0}
TARGET_PEAK_MB = 1536
TARGET_RATIO = 30


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kamapp.settings")
    # Measured as it ran before DEBUG defaulted to off: development settings.
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("MEDIA_ROOT", str(OUT / "media"))
    import django

    django.setup()


def database_create_if_missing() -> None:
    """PostgreSQL: create the benchmark database on first use."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def ledger_generate(path: Path, *, rows: int, customers: int) -> None:
    """Invoice lines like a real export: ~5 lines per invoice, repeats and credit notes."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(20241231)
    invoice = np.arange(rows) // 5
    customer = rng.integers(0, customers, rows // 5 + 1)[invoice]
    quantity = rng.integers(1, 50, rows)
    credit = rng.random(rows) < 0.02
    quantity = np.where(credit, -quantity, quantity)
    repeat = rng.random(rows) < 0.01  # an identical copy of the line before, same invoice
    product = rng.integers(1, 2000, rows)
    price = rng.integers(1_000, 5_000_000, rows) / 100
    same_invoice = np.r_[False, invoice[1:] == invoice[:-1]] & repeat
    for values in (product, price, quantity):
        values[1:][same_invoice[1:]] = values[:-1][same_invoice[1:]]
    days = rng.integers(0, 3 * 365, rows // 5 + 1)[invoice]
    dates = pd.Timestamp("2022-01-01") + pd.to_timedelta(days, unit="D")
    prefix = np.where(credit, "C", "INV")
    frame = pd.DataFrame(
        {
            "InvoiceNo": pd.Series(prefix) + pd.Series(invoice + 100_000).astype(str),
            "InvoiceDate": pd.Series(dates).dt.strftime("%d/%m/%Y"),
            "CustomerID": "C" + pd.Series(customer).astype(str).str.zfill(6),
            "CustomerName": "Customer " + pd.Series(customer).astype(str),
            "StockCode": "P" + pd.Series(product).astype(str).str.zfill(5),
            "Description": "Product " + pd.Series(product).astype(str),
            "Quantity": quantity,
            "UnitPrice": price,
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)


def tables_empty() -> None:
    from accounts.models import Customer, LedgerImport, LedgerLine

    LedgerLine.stored.all().delete()
    LedgerImport.objects.all().delete()
    Customer.objects.all().delete()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """This process's CPU time: beside wall time, it shows how much a busy machine cost."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase_ours(path: Path) -> dict:
    from accounts.ledger.services import ledger_import_path

    started, cpu = time.perf_counter(), cpu_seconds()
    ledger_import = ledger_import_path(path=path)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if ledger_import.status != "done":
        raise SystemExit(f"import {ledger_import.status}: {ledger_import.message}")
    return {
        "rows": ledger_import.rows_total,
        "imported": ledger_import.rows_imported,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mb": peak_mb(),
    }


def phase_baseline(path: Path, rows: int) -> dict:
    """django-import-export, tuned: bulk writes in batches of 1,000, no diff."""
    import pandas as pd
    import tablib
    from import_export import fields, resources, widgets

    from accounts.models import Customer, LedgerLine

    frame = pd.read_csv(path, nrows=rows, dtype=str)
    # Same kind of rows as ours, with their keys and amounts worked out beforehand: the
    # baseline only stores them (customers exist already, as its foreign-key widget needs).
    codes = frame["CustomerID"].drop_duplicates()
    Customer.objects.bulk_create([Customer(code=code, name=code) for code in codes])
    quantity = frame["Quantity"].astype(float)
    data = pd.DataFrame(
        {
            "customer": frame["CustomerID"],
            "invoice_number": frame["InvoiceNo"],
            "line_key": frame.groupby("InvoiceNo").cumcount().astype(str),
            "invoice_date": pd.to_datetime(frame["InvoiceDate"], dayfirst=True).dt.strftime(
                "%Y-%m-%d"
            ),
            "amount": (quantity * frame["UnitPrice"].astype(float)).round(2),
            "quantity": quantity,
            "product_code": frame["StockCode"],
        }
    )
    text = data.to_csv(index=False)

    class LedgerLineResource(resources.ModelResource):
        customer = fields.Field(
            attribute="customer",
            column_name="customer",
            widget=widgets.ForeignKeyWidget(Customer, field="code"),
        )

        class Meta:
            model = LedgerLine
            fields = (
                "customer",
                "invoice_number",
                "line_key",
                "invoice_date",
                "amount",
                "quantity",
                "product_code",
            )
            import_id_fields = ("invoice_number", "line_key")
            use_bulk = True
            batch_size = 1000
            skip_diff = True

    started, cpu = time.perf_counter(), cpu_seconds()
    dataset = tablib.Dataset().load(text, format="csv")
    result = LedgerLineResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return {
        "rows": len(dataset),
        "imported": result.totals["new"],
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mb": peak_mb(),
    }


def child(phase: str, path: Path, rows: int) -> dict:
    """Run one phase in a fresh process, so that its peak memory is its own: the tables are
    emptied first in a process of their own (deleting a million lines is no import)."""
    for step in ("empty", phase):
        command = [sys.executable, __file__, "--phase", step, "--file", str(path)]
        command += ["--baseline-rows", str(rows)]
        output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(output.stdout.strip().splitlines()[-1])


def excel_report(ours: dict, *, children_peak: float, load_before: str) -> None:
    print(f"{'import':<34}{'rows':>10}{'seconds':>10}{'cpu s':>8}{'rows/s':>11}{'peak MB':>10}")
    rate = ours["rows"] / ours["seconds"]
    print(
        f"{'ours, .xlsx (read, validate, store)':<34}{ours['rows']:>10,}{ours['seconds']:>10.2f}"
        f"{ours['cpu_seconds']:>8.2f}{rate:>11,.0f}{ours['peak_mb']:>10,.0f}"
    )
    print(f"largest peak RSS of the child processes (RUSAGE_CHILDREN): {children_peak:,.0f} MB")
    print(f"load average before/after: {load_before} / {os.getloadavg()[0]:.2f} (2 cores)")
    for label, ok in (
        (f"peak memory < {TARGET_PEAK_MB} MB", ours["peak_mb"] < TARGET_PEAK_MB),
        (f"all {ours['rows']:,} lines stored", ours["imported"] == ours["rows"]),
    ):
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--baseline-rows", type=int, default=10_000)
    parser.add_argument(
        "--excel",
        action="store_true",
        help="import the ledger as an .xlsx (shared strings, date cells); no baseline run",
    )
    parser.add_argument("--phase", choices=["empty", "ours", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()

    database_create_if_missing()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    if options.phase:
        if options.phase == "empty":
            tables_empty()
            figures = {}
        elif options.phase == "ours":
            figures = phase_ours(options.file)
        else:
            figures = phase_baseline(options.file, options.baseline_rows)
        print(json.dumps(figures))
        return

    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name:
        raise SystemExit(f"Refusing to empty {name!r}: use a database whose name has 'bench'.")
    call_command("migrate", verbosity=0)
    path = OUT / f"ledger_{options.rows}.csv"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        ledger_generate(path, rows=options.rows, customers=options.customers)
    if options.excel:
        csv_path, path = path, path.with_suffix(".xlsx")
        if not path.exists():
            from bench.ledger_xlsx import ledger_xlsx_write

            print(f"generating {path} ...", flush=True)
            ledger_xlsx_write(csv_path, path)
    vendor = connection.vendor
    load_before = f"{os.getloadavg()[0]:.2f}"
    size = path.stat().st_size / 1024 / 1024
    print(f"database: {vendor} ({Path(name).name}); file: {path.name} ({size:,.0f} MB)", flush=True)
    ours = child("ours", path, options.baseline_rows)
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if options.excel:
        excel_report(ours, children_peak=children_peak, load_before=load_before)
        return
    baseline = child("baseline", path, options.baseline_rows)
    ours_rate = ours["rows"] / ours["seconds"]
    baseline_rate = baseline["rows"] / baseline["seconds"]
    ratio = ours_rate / baseline_rate
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"{'import':<34}{'rows':>10}{'seconds':>10}{'cpu s':>8}{'rows/s':>11}{'peak MB':>10}")
    for label, figures in (
        ("ours (read, validate, store)", ours),
        ("django-import-export, tuned", baseline),
    ):
        rate = figures["rows"] / figures["seconds"]
        print(
            f"{label:<34}{figures['rows']:>10,}{figures['seconds']:>10.2f}"
            f"{figures['cpu_seconds']:>8.2f}{rate:>11,.0f}{figures['peak_mb']:>10,.0f}"
        )
    print(f"ratio (ours / django-import-export rows per second): {ratio:,.1f}x")
    print(f"largest peak RSS of the child processes (RUSAGE_CHILDREN): {children_peak:,.0f} MB")
    print(f"load average before/after: {load_before} / {os.getloadavg()[0]:.2f} (2 cores)")
    target = TARGET_SECONDS.get(vendor, 20.0)
    checks = [
        (f"{ours['rows']:,} lines in <= {target:.0f} s", ours["seconds"] <= target),
        (f"peak memory < {TARGET_PEAK_MB} MB", ours["peak_mb"] < TARGET_PEAK_MB),
        (f"ratio >= {TARGET_RATIO}x", ratio >= TARGET_RATIO),
        (f"all {ours['rows']:,} lines stored", ours["imported"] == ours["rows"]),
    ]
    for label, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")


if __name__ == "__main__":
    main()
