"""Load: 50 users for 60 s against gunicorn on PostgreSQL, with locust headless, twice.

First the floor: the same users, each with a signed-in session, requesting a minimal
signed-in page (the round list), which is what the stack itself costs on this machine. Then
the mix (bench/locustfile.py): managers read the dashboard, the matrix and their grid and
save ratings; the selection team also reads the disagreement and review pages and follows
the meeting. Prints, per page and in all, requests per second, median and p95 latency and
errors, the CPU each side used (gunicorn, PostgreSQL, locust: the server's CPU per request
is what the mix costs against the floor), and the mix against the floor measured in the
same run.
Goal: no errors; the mix's throughput at least half the floor's; its p95 at most 3x the
floor's p95.

  .venv/bin/python bench/load.py            # a database it may wipe, by default:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/kamapp_bench_load .venv/bin/python bench/load.py
Options: USERS (50), DURATION (60s), WORKERS (3), THREADS (4), PORT (8765).
"""

import csv
import json
import math
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kamapp_bench_load"
)
USERS = int(os.environ.get("USERS", 50))
DURATION = os.environ.get("DURATION", "60s")
PORT = int(os.environ.get("PORT", 8765))
PASSWORD = "load-" + secrets.token_hex(8)  # so the load users could sign in by hand
MANAGERS = ["sari", "budi", "rina"]  # demo owners of accounts
TEAM = "load-team"


def _database_create() -> None:
    import psycopg

    base, name = DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute("select 1 from pg_database where datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'create database "{name}"')


def _prepare(env: dict) -> dict:
    """Migrate, seed the demo company, give the load users a password, collect static."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from accounts.models import Customer
    from kamapp.roles import Role, role_group
    from scoring.models import ScoringRound

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--if-empty")
    call_command("collectstatic", "--noinput", verbosity=0)
    # Planner statistics, as production's autovacuum keeps them: without them (a database
    # seeded a moment ago, on a server with autovacuum off) PostgreSQL picks nested loops
    # that make a grid page's ratings read 50 times slower than it is.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    User = get_user_model()
    team, _ = User.objects.get_or_create(username=TEAM)
    team.groups.add(role_group(Role.SELECTION_TEAM))
    managers = list(User.objects.filter(username__in=MANAGERS).order_by("username"))
    for user in [team, *managers]:
        user.set_password(PASSWORD)
        user.save()
    scoring_round = ScoringRound.objects.order_by("-date", "-id").first()
    factors = list(scoring_round.factors.filter(axis="attractiveness").values_list("pk", flat=True))
    accounts = {
        username: list(
            Customer.objects.filter(owner__username=username).values_list("pk", flat=True)[:50]
        )
        for username in MANAGERS
    }
    accounts[TEAM] = list(Customer.objects.values_list("pk", flat=True)[:150])
    return {
        "round": scoring_round.pk,
        "factors": factors,
        "accounts": accounts,
        "sessions": {
            "team": [_signed_in_session(team) for _ in range(USERS)],
            "manager": [_signed_in_session(managers[i % len(managers)]) for i in range(USERS)],
        },
    }


def _signed_in_session(user) -> list[str]:
    """A session as the login view leaves it: the load measures work, not 50 password hashes
    at once (each sign-in costs a CPU-second of PBKDF2 by design; see the report)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return [user.get_username(), session.session_key]


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    _database_create()
    static_root = tempfile.mkdtemp(prefix="kamapp-static-")
    env = {
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": static_root,
        "DJANGO_SETTINGS_MODULE": "kamapp.settings",
        "LOG_LEVEL": "WARNING",
        # Many users sign in from one address; the bench is not an attack.
        "AXES_FAILURE_LIMIT": "1000",
    }
    plan = _prepare(env)
    server_env = {**os.environ, **env}
    gunicorn = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "kamapp.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            os.environ.get("WORKERS", "3"),
            "--threads",
            os.environ.get("THREADS", "4"),
            "--worker-class",
            "gthread",
            # Longer than a user's pause, so a kept-alive connection is not closed by the
            # server just as the client reuses it (a reset; a proxy in front does this in
            # production).
            "--keep-alive",
            "10",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_env,
    )
    try:
        _wait_for(f"http://127.0.0.1:{PORT}/login/")
        locust_env = {**server_env, "LOAD_PLAN": json.dumps(plan)}
        load_before = os.getloadavg()
        server = psutil.Process(gunicorn.pid)
        floor, floor_cpu = _measured(server, "floor", ["Floor"], env=locust_env)
        mix, mix_cpu = _measured(server, "mix", ["Manager", "TeamMember"], env=locust_env)
        load_after = os.getloadavg()
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    print(f"\nLoad: {USERS} users, {DURATION} each phase, gunicorn + PostgreSQL")
    print(f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    for phase, rows, cpu in (("floor", floor, floor_cpu), ("mix", mix, mix_cpu)):
        print(f"{phase}:")
        _cpu_print(cpu, requests=int(rows["Aggregated"]["Request Count"]))
        for name, row in rows.items():
            print(
                f"  {name:<16} {int(row['Request Count']):>7} req  "
                f"{float(row['Requests/s']):>6.1f} req/s  "
                f"median {row['Median Response Time']:>5} ms  p95 {row['95%']:>5} ms  "
                f"errors {row['Failure Count']}"
            )
    floor_total, mix_total = floor["Aggregated"], mix["Aggregated"]
    throughput = float(mix_total["Requests/s"]) / float(floor_total["Requests/s"])
    p95 = float(mix_total["95%"]) / max(float(floor_total["95%"]), 1.0)
    errors = int(floor_total["Failure Count"]) + int(mix_total["Failure Count"])
    met = errors == 0 and throughput >= 0.5 and p95 <= 3
    print(
        f"mix/floor: throughput {throughput:.2f} (goal >= 0.5), p95 {p95:.2f} (goal <= 3), "
        f"errors {errors} (goal 0): {'goal met' if met else 'GOAL MISSED'}"
    )


def _cpu_seconds(server: psutil.Process) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master and workers) and by PostgreSQL's
    processes (this machine's server: the bench's connections and its background work);
    locust's, once it has exited, from this process's children. NaN for a side with a
    process this user may not read (a PostgreSQL run by another user, without root)."""

    def used(processes) -> float:
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:  # ended meanwhile: its share is lost
                continue
            except psutil.AccessDenied:
                return math.nan
            total += times.user + times.system
        return total

    database = [p for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres"]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "server": used([server, *server.children(recursive=True)]),
        "database": used(database),
        "load generator": children.ru_utime + children.ru_stime,
        "wall": time.monotonic(),
    }


def _measured(server: psutil.Process, phase: str, user_classes: list[str], *, env: dict):
    """One phase's stats, and the CPU each side used during it."""
    before = _cpu_seconds(server)
    stats = _locust_run(phase, user_classes, env=env)
    after = _cpu_seconds(server)
    return stats, {side: after[side] - before[side] for side in before}


def _cpu_print(cpu: dict[str, float], *, requests: int) -> None:
    wall = cpu["wall"]
    sides = ", ".join(
        f"{side} {cpu[side]:.1f} s ({cpu[side] / wall:.2f} cores)"
        for side in ("server", "database", "load generator")
    )
    per_request = 1000 * cpu["server"] / max(requests, 1)
    print(
        f"  CPU over {wall:.0f} s on {os.cpu_count()} cores: {sides}; "
        f"server {per_request:.1f} ms a request"
    )


def _locust_run(phase: str, user_classes: list[str], *, env: dict) -> dict:
    """Run one phase headless; its stats by request name ("Aggregated" for all)."""
    prefix = OUT / f"load-{phase}"
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            *user_classes,
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            str(max(USERS // 5, 1)),
            "--run-time",
            DURATION,
            "--host",
            f"http://127.0.0.1:{PORT}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    with open(f"{prefix}_stats.csv", newline="") as stats_file:
        return {row["Name"]: row for row in csv.DictReader(stats_file)}


if __name__ == "__main__":
    main()
