"""My accounts against the customer list, on the same 5,000 accounts and 50,000 contacts.

Target: My accounts renders in at most 1.5x the customer list's time (both a page of 50,
the sales manager's own accounts), measured in the same run, with the same number of SQL
queries whatever the number of accounts.

  .venv/bin/python bench/my_accounts.py        (SQLite, a fresh file under bench/out/)
"""

import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
OUT.mkdir(parents=True, exist_ok=True)
if "DATABASE_URL" not in os.environ:
    (OUT / "my_accounts.sqlite3").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{OUT / 'my_accounts.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kamapp.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Customer, CustomerMetrics, MetricsRun, Segment  # noqa: E402
from kamapp.roles import Role  # noqa: E402
from planning.models import AccountPlan, ContactLogEntry  # noqa: E402
from scoring.models import Decision, ScoringRound  # noqa: E402
from tests.factories import UserFactory  # noqa: E402

ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", 5_000))
CONTACTS = int(os.environ.get("BENCH_CONTACTS", 50_000))
RUNS = 20
CHOICES = ["key", "key_development", "maintenance", "opportunistic", "deselected"]


def build() -> object:
    rng = np.random.default_rng(7)
    manager = UserFactory(username="bench-manager", role=Role.SALES_MANAGER)
    segments = [Segment.objects.create(name=f"Segment {n}") for n in range(4)]
    Customer.objects.bulk_create(
        Customer(code=f"M{n:06d}", name=f"Customer {n:06d}", segment=segments[n % 4], owner=manager)
        for n in range(ACCOUNTS)
    )
    customers = list(Customer.objects.order_by("pk"))
    run = MetricsRun.objects.create(
        trigger="command", status="succeeded", started_at=timezone.now()
    )
    CustomerMetrics.objects.bulk_create(
        CustomerMetrics(
            customer=c,
            run=run,
            rank=n + 1,
            tier="ABC"[min(n * 3 // ACCOUNTS, 2)],
            stage="steady",
            value=Decimal(int(rng.integers(0, 10**9))),
        )
        for n, c in enumerate(customers)
    )
    decided = ScoringRound.objects.create(name="Decided", status="decided")
    Decision.objects.bulk_create(
        Decision(round=decided, customer=c, choice=CHOICES[n % 5], coverage="farmer")
        for n, c in enumerate(customers)
    )
    today = timezone.localdate()
    ContactLogEntry.objects.bulk_create(
        (
            ContactLogEntry(
                customer=customers[int(rng.integers(0, ACCOUNTS))],
                date=today - dt.timedelta(days=int(rng.integers(0, 400))),
                channel="visit",
                touch_point="purchase",
            )
            for _ in range(CONTACTS)
        ),
        batch_size=5000,
    )
    AccountPlan.objects.bulk_create(
        AccountPlan(customer=c, year=today.year) for c in customers[: ACCOUNTS // 10]
    )
    return manager


def timed(client, url: str) -> list[float]:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def query_count(client, url: str) -> int:
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    load_before = os.getloadavg()
    start = time.perf_counter()
    manager = build()
    print(
        f"My accounts on {connection.vendor}: {ACCOUNTS:,} accounts, "
        f"{ContactLogEntry.objects.count():,} logged contacts (built in "
        f"{time.perf_counter() - start:.1f} s)"
    )
    client = Client()
    client.force_login(manager)
    pages = {
        "customer list": reverse("accounts:customer_index") + "?scope=mine",
        "My accounts": reverse("planning:my_account_index") + "?scope=mine",
    }
    for url in pages.values():
        for _ in range(3):
            client.get(url)
    medians = {}
    # Taking turns, so a change in the machine's load falls on both.
    timings = {name: [] for name in pages}
    for _ in range(3):
        for name, url in pages.items():
            timings[name] += timed(client, url)
    for name, values in timings.items():
        medians[name] = statistics.median(values)
        p95 = sorted(values)[int(len(values) * 0.95) - 1]
        print(f"  {name}: median {medians[name]:.1f} ms, p95 {p95:.1f} ms over {len(values)} runs")
    ratio = medians["My accounts"] / medians["customer list"]
    print(
        f"  My accounts / customer list: x{ratio:.2f} (target <= 1.5: "
        f"{'met' if ratio <= 1.5 else 'MISSED'})"
    )
    big = query_count(client, pages["My accounts"])
    beyond = list(Customer.objects.order_by("pk").values_list("pk", flat=True)[100:])
    ContactLogEntry.objects.filter(customer_id__in=beyond).delete()
    AccountPlan.objects.filter(customer_id__in=beyond).delete()
    Decision.objects.filter(customer_id__in=beyond).delete()
    Customer.objects.filter(pk__in=beyond).delete()
    small = query_count(client, pages["My accounts"])
    print(
        f"  SQL queries on My accounts: {big} with {ACCOUNTS:,} accounts, {small} with 100 "
        f"({'constant' if big == small else 'NOT constant'})"
    )
    print(f"  load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after (2 cores)")


if __name__ == "__main__":
    main()
