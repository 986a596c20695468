"""Benchmark: the REST API against the command line, on the same data in the same run.

(a) A CRM's full customer sync: every customer through `GET /api/v1/customers`, following
    the cursors at the largest page (API_PAGE_SIZE_MAX), against
    `manage.py export_customers --format csv` on the same customers. Target: <= 3x.
(b) An ERP's ledger push: the ledger file (generated as bench/import_ledger.py does,
    1,000,000 lines and 50,000 customers by default) sent to `POST /api/v1/ledger/imports`,
    then its URL polled until the import is done, against `manage.py import_ledger` on the
    same file. Target: <= 1.3x.

Both sides run in this one process; the API is called through Django's test client (the
full middleware, authentication with a real token, throttle and views; no socket), with
the import's Celery job run eagerly, as the command line runs it in the caller. Each import
computes the customers' metrics (its eager job), both timed alike. Each measure is taken
BENCH_API_REPEATS times (2), the API and the command line alternating, and the best kept.

    .venv/bin/python bench/api.py                          # SQLite: bench/out/bench_api.sqlite3
    BENCH_API_ROWS=100000 BENCH_API_CUSTOMERS=5000 .venv/bin/python bench/api.py   # smaller
    BENCH_API_PARTS=sync .venv/bin/python bench/api.py     # (a) only: the file imported once
"""

import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
ROWS = int(os.environ.get("BENCH_API_ROWS", 1_000_000))
CUSTOMERS = int(os.environ.get("BENCH_API_CUSTOMERS", 50_000))
REPEATS = int(os.environ.get("BENCH_API_REPEATS", 2))
# "push,sync" (both, the default), or one of them; the sync alone still imports the file once.
PARTS = set(os.environ.get("BENCH_API_PARTS", "push,sync").split(","))
TARGET_SYNC_RATIO = 3.0
TARGET_PUSH_RATIO = 1.3

os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'bench_api.sqlite3'}")
# The import's job runs in this process, as the command line's does (no worker to wait for).
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("API_RATE_LIMIT", "1000000/min")

from bench.import_ledger import (  # noqa: E402
    cpu_seconds,
    database_create_if_missing,
    ledger_generate,
    setup_django,
    tables_empty,
)


def timed(function) -> dict:
    started, cpu = time.perf_counter(), cpu_seconds()
    result = function()
    return {"seconds": time.perf_counter() - started, "cpu": cpu_seconds() - cpu, "result": result}


def cli_import(path: Path):
    from django.core.management import call_command

    from accounts.models import LedgerImport

    call_command("import_ledger", str(path), "--no-progress", stdout=io.StringIO())
    return LedgerImport.objects.latest("pk")


def api_push(client, headers: dict, path: Path, mapping: dict):
    """POST the file, then GET the import's URL until it is done (or failed)."""
    with path.open("rb") as stream:
        response = client.post(
            "/api/v1/ledger/imports",
            {"file": stream, "mapping": json.dumps(mapping)},
            headers=headers,
        )
    if response.status_code != 202:
        raise SystemExit(f"push answered {response.status_code}: {response.content[:300]!r}")
    url = response.json()["url"]
    while True:
        state = client.get(url, headers=headers).json()
        if state["finished"]:
            return state
        time.sleep(0.05)


def api_sync(client, headers: dict, limit: int) -> int:
    """Every customer, page after page, as a CRM syncs."""
    count, cursor = 0, None
    while True:
        params = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/customers", params, headers=headers).json()
        count += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return count


def cli_export(path: Path) -> int:
    from django.core.management import call_command

    call_command("export_customers", "--format", "csv", "--output", str(path), stdout=io.StringIO())
    with path.open(encoding="utf-8") as stream:
        return sum(1 for _line in stream) - 1


def _push_measure(client, headers: dict, path: Path, mapping: dict) -> dict:
    """(b): twice each, alternating, the best of each kept: the first import pays this
    process's cold start and the SQLite file's growth, which the later ones reuse."""
    runs = {"api": [], "cli": []}
    for _round in range(REPEATS):
        tables_empty()
        runs["api"].append(timed(lambda: api_push(client, headers, path, mapping)))
        tables_empty()
        runs["cli"].append(timed(lambda: cli_import(path)))
    api, cli = (min(runs[side], key=lambda run: run["seconds"]) for side in ("api", "cli"))
    if api["result"]["status"] != "done" or cli["result"].status != "done":
        raise SystemExit(f"imports: api {api['result']['status']}, cli {cli['result'].status}")
    return {"api": api, "cli": cli}


def _report(push: dict | None, sync: dict, export: dict, load_before: str) -> None:
    from django.conf import settings

    print(f"{'':<52}{'rows':>10}{'seconds':>10}{'cpu s':>8}{'rows/s':>11}")
    per_page = settings.API_PAGE_SIZE_MAX
    lines = [
        ("customers: manage.py export_customers --format csv", export, export["result"]),
        (f"customers: GET /api/v1/customers, {per_page}/page", sync, sync["result"]),
    ]
    checks = []
    if push is not None:
        api, cli = push["api"], push["cli"]
        pushed, imported = api["result"]["report"]["lines_imported"], cli["result"].rows_imported
        lines[:0] = [
            ("ledger: manage.py import_ledger", cli, imported),
            ("ledger: POST /api/v1/ledger/imports until done", api, pushed),
        ]
        push_ratio = api["seconds"] / cli["seconds"]
        print_later = f"ledger push, API / command line: {push_ratio:.2f}x"
        checks += [
            (
                f"ledger push <= {TARGET_PUSH_RATIO}x the command line",
                push_ratio <= TARGET_PUSH_RATIO,
            ),
            (f"the API stored as many lines ({pushed:,})", pushed == imported),
        ]
    for label, figures, rows in lines:
        print(
            f"{label:<52}{rows:>10,}{figures['seconds']:>10.2f}{figures['cpu']:>8.2f}"
            f"{rows / figures['seconds']:>11,.0f}"
        )
    if push is not None:
        print(print_later)
    sync_ratio = sync["seconds"] / export["seconds"]
    print(f"customer sync, API / export_customers: {sync_ratio:.2f}x")
    print(f"load average before/after: {load_before} / {os.getloadavg()[0]:.2f} (2 cores)")
    checks += [
        (f"customer sync <= {TARGET_SYNC_RATIO}x the export", sync_ratio <= TARGET_SYNC_RATIO),
        (f"the sync saw every customer ({sync['result']:,})", sync["result"] == export["result"]),
    ]
    for label, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")


def main() -> None:
    database_create_if_missing()
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.ledger import parsing
    from accounts.ledger.selectors import ledger_file_columns
    from api.services import api_token_create
    from kamapp.roles import Role
    from tests.factories import UserFactory

    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name:
        raise SystemExit(f"Refusing to empty {name!r}: use a database whose name has 'bench'.")
    call_command("migrate", verbosity=0)
    path = OUT / f"ledger_{ROWS}_{CUSTOMERS}.csv"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        ledger_generate(path, rows=ROWS, customers=CUSTOMERS)
    mapping = parsing.mapping_override(ledger_file_columns(path=path), {})
    admin = UserFactory(username="bench-api", role=Role.ADMIN)  # got or created
    _token, raw = api_token_create(user=admin, name="bench")
    headers = {"Authorization": f"Bearer {raw}"}
    client = Client()
    load_before = f"{os.getloadavg()[0]:.2f}"
    size = path.stat().st_size / 1024 / 1024
    print(f"database: {connection.vendor} ({Path(name).name}); file: {path.name} ({size:,.0f} MB)")

    push = _push_measure(client, headers, path, mapping) if "push" in PARTS else None
    if push is None:
        tables_empty()
        cli_import(path)
    reads = {"sync": [], "export": []}
    for _round in range(REPEATS):
        reads["sync"].append(timed(lambda: api_sync(client, headers, settings.API_PAGE_SIZE_MAX)))
        reads["export"].append(timed(lambda: cli_export(OUT / "bench_api_customers.csv")))
    sync, export = (min(reads[side], key=lambda run: run["seconds"]) for side in reads)
    print(f"each measured {REPEATS} times, alternating; the best kept")

    _report(push, sync, export, load_before)


if __name__ == "__main__":
    main()
