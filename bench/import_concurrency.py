"""Benchmark: rating saves while a 1,000,000-line ledger import stores, on SQLite.

A second process saves one rating through the rating service (`rating_record`) every
~0.2 s while the import runs, and times each save. The import runs twice in the same run:
in one transaction (LEDGER_IMPORT_CHUNK_LINES=0, as before: the baseline) and in chunks
(50,000 lines a transaction by default). Prints, for each, the import's total time, the
saves made while it ran, how many failed ("database is locked" after SQLite's 20 s busy
timeout), their median and longest wait, the ratio of the longest waits, and the load average.

    .venv/bin/python bench/import_concurrency.py            # bench/out/bench_concurrency.sqlite3
    .venv/bin/python bench/import_concurrency.py --rows 200000 --chunk 20000

The ledger file is bench/import_ledger.py's (generated once, kept in bench/out/). The
database is the benchmark's own: its imports, their lines and customers are deleted before
each run; the demo company is seeded into it once, for the rating and its rater.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.import_ledger import OUT, ROOT, ledger_generate

DATABASE = OUT / "bench_concurrency.sqlite3"
IMPORTED_CODE = r"^C\d{6}$"  # customers of the generated ledger (the demo's are C0001...)


def setup_django() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kamapp.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("MEDIA_ROOT", str(OUT / "media"))
    import django

    django.setup()


def phase_prepare() -> dict:
    """Migrate, seed the demo company once, and empty what an earlier import left."""
    from django.core.management import call_command

    from accounts.models import Customer, LedgerImport, LedgerLine
    from demo.services import demo_company_seed
    from scoring.models import Rating

    call_command("migrate", verbosity=0)
    if not Rating.objects.exists():
        demo_company_seed(create_logins=False)
    LedgerLine.stored.filter(ledger_import__isnull=False).delete()
    LedgerImport.objects.all().delete()
    Customer.objects.filter(code__regex=IMPORTED_CODE).delete()
    return {}


def _rated_cell():
    """A rating of a round open for ratings, whose rater may still rate it."""
    from scoring.models import RATING_STATUSES, Rating
    from scoring.permissions import user_can_rate

    ratings = Rating.objects.filter(round__status__in=RATING_STATUSES).select_related(
        "round", "customer", "factor", "competitor", "rater"
    )
    for rating in ratings[:200]:
        if user_can_rate(user=rating.rater, customer=rating.customer):
            return rating
    raise SystemExit("No rating of an open round to save: seed the demo company.")


def phase_rater(stop: Path, interval: float) -> dict:
    """Save the same cell, alternating two values, every `interval` s until `stop` exists."""
    from django.db import OperationalError

    from scoring.services import rating_record

    cell = _rated_cell()
    saves = []
    values = ("4", "6")
    while not stop.exists():
        at, started = time.time(), time.perf_counter()
        error = ""
        try:
            rating_record(
                scoring_round=cell.round,
                customer=cell.customer,
                factor=cell.factor,
                competitor=cell.competitor,
                rater=cell.rater,
                raw_value=values[len(saves) % 2],
            )
        except OperationalError as exc:
            error = str(exc)
        saves.append({"at": at, "wait": time.perf_counter() - started, "error": error})
        time.sleep(interval)
    return {"saves": saves}


def phase_import(path: Path) -> dict:
    from django.conf import settings

    from accounts.ledger.services import ledger_import_path

    started = time.time()
    ledger_import = ledger_import_path(path=path)
    return {
        "chunk": settings.LEDGER_IMPORT_CHUNK_LINES,
        "status": ledger_import.status,
        "message": ledger_import.message,
        "imported": ledger_import.rows_imported,
        "started": started,
        "finished": time.time(),
    }


def _child(*arguments: str, chunk: int = 0, wait: bool = True):
    command = [sys.executable, __file__, *arguments]
    env = {**os.environ, "LEDGER_IMPORT_CHUNK_LINES": str(chunk)}
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT, env=env)
    return json.loads(output.stdout.strip().splitlines()[-1])


def mode_measure(path: Path, *, chunk: int, interval: float) -> dict:
    """One import in a process of its own, with the rater beside it; the saves it overlapped."""
    _child("--phase", "prepare")
    stop = OUT / "concurrency.stop"
    stop.unlink(missing_ok=True)
    rater = _child("--phase", "rater", "--stop", str(stop), "--interval", str(interval), wait=False)
    time.sleep(3)  # the rater is set up and saving
    imported = _child("--phase", "import", "--file", str(path), chunk=chunk)
    time.sleep(1)
    stop.touch()
    output, _ = rater.communicate(timeout=120)
    stop.unlink(missing_ok=True)
    if rater.returncode:
        raise SystemExit(f"rater failed ({rater.returncode})")
    saves = json.loads(output.strip().splitlines()[-1])["saves"]
    during = [save for save in saves if imported["started"] <= save["at"] <= imported["finished"]]
    if imported["status"] != "done" or not during:
        raise SystemExit(f"import {imported['status']} {imported['message']}; {len(during)} saves")
    waits = [save["wait"] for save in during]
    return {
        **imported,
        "seconds": imported["finished"] - imported["started"],
        "saves": len(during),
        "failed": sum(1 for save in during if save["error"]),
        "errors": sorted({save["error"] for save in during if save["error"]}),
        "median": statistics.median(waits),
        "longest": max(waits),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--chunk", type=int, default=50_000, help="lines a transaction, chunked")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between saves")
    parser.add_argument("--phase", choices=["prepare", "rater", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stop", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    setup_django()

    if options.phase == "prepare":
        figures = phase_prepare()
    elif options.phase == "rater":
        figures = phase_rater(options.stop, options.interval)
    elif options.phase == "import":
        figures = phase_import(options.file)
    if options.phase:
        print(json.dumps(figures))
        return

    path = OUT / f"ledger_{options.rows}.csv"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        ledger_generate(path, rows=options.rows, customers=options.customers)
    load_before = os.getloadavg()
    print(f"SQLite {DATABASE.name}; {path.name}; a rating saved every {options.interval} s")
    results = {}
    for label, chunk in (("one transaction (baseline)", 0), ("chunked", options.chunk)):
        results[label] = figures = mode_measure(path, chunk=chunk, interval=options.interval)
        print(f"  {label} done: {figures['seconds']:.1f} s", flush=True)

    print(
        f"{'import mode':<28}{'lines/tx':>10}{'import s':>10}{'saves':>7}{'failed':>8}"
        f"{'median s':>10}{'longest s':>11}"
    )
    for label, figures in results.items():
        print(
            f"{label:<28}{figures['chunk'] or figures['imported']:>10,}{figures['seconds']:>10.1f}"
            f"{figures['saves']:>7}{figures['failed']:>8}{figures['median']:>10.3f}"
            f"{figures['longest']:>11.3f}"
        )
        for error in figures["errors"]:
            print(f"    failed saves said: {error}")
    single, chunked = results.values()
    print(
        f"longest save wait, one transaction / chunked: "
        f"{single['longest'] / chunked['longest']:,.1f}x; import time, chunked / one "
        f"transaction: {chunked['seconds'] / single['seconds']:.2f}x"
    )
    after = os.getloadavg()
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}; after: "
        f"{' '.join(f'{x:.2f}' for x in after)} (2 cores)"
    )


if __name__ == "__main__":
    main()
