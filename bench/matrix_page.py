"""Matrix page and rating save speed on a round of 5,000 fully rated accounts.

Targets: matrix page median server time at most 300 ms, also right after a rating save;
saving one rating at most 50 ms;
the same number of SQL queries whatever the number of accounts. Also prints the page's
size and its chart data per account (the page's own data stays small).

Run on SQLite (a fresh file under bench/out/):  .venv/bin/python bench/matrix_page.py
Run on PostgreSQL (a database it may wipe):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/kamapp_bench_matrix \
    .venv/bin/python bench/matrix_page.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
OUT.mkdir(parents=True, exist_ok=True)
if "DATABASE_URL" not in os.environ:
    (OUT / "matrix_page.sqlite3").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{OUT / 'matrix_page.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kamapp.settings")
# Measured as it ran before DEBUG defaulted to off: development settings.
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Competitor, Customer, Segment  # noqa: E402
from demo.data import ATTRACTIVENESS_FACTORS, COMPETITORS, STRENGTH_FACTORS  # noqa: E402
from kamapp.roles import Role  # noqa: E402
from scoring.models import Axis, Factor, Rating, ScoringRound  # noqa: E402
from tests.factories import UserFactory  # noqa: E402

ACCOUNTS = 5_000
PAGE_RUNS = 20
SAVE_RUNS = 50


def build_round(accounts: int) -> tuple[ScoringRound, object, object]:
    rng = np.random.default_rng(3)
    team = UserFactory(username="bench-team", role=Role.SELECTION_TEAM)
    manager = UserFactory(username="bench-manager", role=Role.SALES_MANAGER)
    segments = [Segment.objects.create(name=f"Segment {n}") for n in range(4)]
    Customer.objects.bulk_create(
        Customer(code=f"B{n:06d}", name=f"Customer {n:06d}", segment=segments[n % 4], owner=manager)
        for n in range(accounts)
    )
    customers = list(Customer.objects.order_by("pk"))
    competitors = [Competitor.objects.create(name=name) for name in COMPETITORS]
    scoring_round = ScoringRound.objects.create(name="Bench round", status="scoring")
    attractiveness = [
        Factor.objects.create(
            round=scoring_round,
            axis=Axis.ATTRACTIVENESS,
            name=name,
            consideration=consideration,
            weight=weight,
            position=index,
        )
        for index, (name, consideration, weight, *_rubric) in enumerate(ATTRACTIVENESS_FACTORS)
    ]
    strength = [
        Factor.objects.create(
            round=scoring_round, axis=Axis.STRENGTH, name=name, weight=weight, position=index
        )
        for index, (name, weight, *_rubric) in enumerate(STRENGTH_FACTORS)
    ]
    ratings = []
    for customer in customers:
        for factor in attractiveness:
            ratings.append((customer, factor, None))
        for factor in strength:
            ratings += [(customer, factor, subject) for subject in (None, *competitors)]
    values = np.round(rng.uniform(0, 10, len(ratings)), 1)
    Rating.objects.bulk_create(
        (
            Rating(round=scoring_round, customer=c, factor=f, competitor=s, rater=team, value=v)
            for (c, f, s), v in zip(ratings, values, strict=True)
        ),
        batch_size=5000,
    )
    return scoring_round, team, manager


def timed(call, runs: int, *, before=None) -> list[float]:
    """Milliseconds of each of `runs` calls; `before` (untimed) runs ahead of each."""
    timings = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def report(label: str, timings: list[float], target_ms: float) -> None:
    median = statistics.median(timings)
    p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
    verdict = "met" if median <= target_ms else "MISSED"
    print(
        f"  {label}: median {median:.1f} ms, p95 {p95:.1f} ms over {len(timings)} runs "
        f"(target <= {target_ms:.0f} ms: {verdict})"
    )


def page_size(html: str, accounts: int) -> None:
    """The page's own data: the HTML, and the chart's JSON per account drawn."""
    figure = html.split('<script id="matrix-figure" type="application/json">', 1)[1]
    figure = figure.split("</script>", 1)[0]
    print(
        f"  matrix page HTML: {len(html.encode()) / 1024:.1f} KiB, of which the chart's data "
        f"{len(figure.encode()) / 1024:.1f} KiB ({len(figure.encode()) / accounts:.0f} bytes "
        "per account, names included)"
    )


def query_count(client: Client, url: str, *, before) -> int:
    """The page's queries right after `before` (a save: the round's cells are read again)."""
    before()
    # A full query log (e.g. after a bulk delete) would hide the new queries: start afresh.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    vendor = connection.vendor
    start = time.perf_counter()
    scoring_round, team, manager = build_round(ACCOUNTS)
    print(
        f"matrix page on {vendor}: {ACCOUNTS:,} accounts, {Rating.objects.count():,} ratings "
        f"(built in {time.perf_counter() - start:.1f} s)"
    )

    client = Client()
    client.force_login(team)
    matrix_url = reverse("scoring:round_detail", args=[scoring_round.pk])
    for _ in range(3):
        assert client.get(matrix_url).status_code == 200
    page_size(client.get(matrix_url).content.decode(), ACCOUNTS)
    report("matrix page", timed(lambda: client.get(matrix_url), PAGE_RUNS), 300)
    filtered = matrix_url + "?box=key"
    report(
        "matrix filter (htmx)",
        timed(lambda: client.get(filtered, HTTP_HX_REQUEST="true"), PAGE_RUNS),
        300,
    )

    manager_client = Client()
    manager_client.force_login(manager)
    grid_url = reverse("scoring:rating_grid", args=[scoring_round.pk])
    report("rating grid page", timed(lambda: manager_client.get(grid_url), PAGE_RUNS), 300)

    customer = Customer.objects.order_by("pk").first()
    factor = scoring_round.factors.filter(axis=Axis.ATTRACTIVENESS).first()
    save_url = reverse("scoring:rating_save", args=[scoring_round.pk])
    values = iter([str(v % 11) for v in range(SAVE_RUNS + PAGE_RUNS + 10)])

    def save():
        response = manager_client.post(
            save_url,
            {"customer": customer.pk, "factor": factor.pk, "value": next(values)},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200, response.status_code

    save()
    report("save one rating", timed(save, SAVE_RUNS), 50)
    # Each save renews the round's cells token: the page after it reads the round's cells
    # again, as it does for everyone while others are rating.
    report(
        "matrix page after a save (the save not timed)",
        timed(lambda: client.get(matrix_url), PAGE_RUNS, before=save),
        300,
    )

    big = query_count(client, matrix_url, before=save)
    # Ratings protect their accounts (a rated account is never deleted by accident).
    beyond = list(Customer.objects.order_by("pk").values_list("pk", flat=True)[100:])
    Rating.objects.filter(customer_id__in=beyond).delete()
    Customer.objects.filter(pk__in=beyond).delete()
    small = query_count(client, matrix_url, before=save)
    print(
        f"  SQL queries on the matrix page: {big} with {ACCOUNTS:,} accounts, {small} with 100 "
        f"({'constant' if big == small else 'NOT constant'})"
    )


if __name__ == "__main__":
    main()
