"""Load: 50 users for 60 s against gunicorn on PostgreSQL, with locust headless.

Users, each with a signed-in session, mix the dashboard, the matrix (/rounds/<id>/), their
rating grid (/rounds/<id>/grid/) and rating saves (POST /rounds/<id>/ratings/ with the CSRF token).
Prints requests per second, median and p95 latency and the error count.
Goal: no errors, p95 under 500 ms.

  .venv/bin/python bench/load.py            # a database it may wipe, by default:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/kamapp_bench_load .venv/bin/python bench/load.py
Options: USERS (50), DURATION (60s), WORKERS (3), THREADS (4), PORT (8765).
"""

import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

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
    User = get_user_model()
    team, _ = User.objects.get_or_create(username=TEAM)
    team.groups.add(role_group(Role.SELECTION_TEAM))
    users = [team, *User.objects.filter(username__in=MANAGERS).order_by("username")]
    for user in users:
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
        "sessions": [_signed_in_session(users[i % len(users)]) for i in range(USERS)],
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
        prefix = OUT / "load"
        locust_env = {
            **server_env,
            "LOAD_PLAN": json.dumps(plan),
        }
        started = time.monotonic()
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
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
            env=locust_env,
            check=False,
        )
        elapsed = time.monotonic() - started
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    with open(f"{prefix}_stats.csv", newline="") as stats_file:
        rows = {row["Name"]: row for row in csv.DictReader(stats_file)}
    total = rows["Aggregated"]
    print(f"\nLoad: {USERS} users for {DURATION} (wall {elapsed:.0f} s) on gunicorn + PostgreSQL")
    for name, row in rows.items():
        print(
            f"  {name:<28} {int(row['Request Count']):>7} req  "
            f"median {row['Median Response Time']:>5} ms  p95 {row['95%']:>5} ms  "
            f"errors {row['Failure Count']}"
        )
    p95 = float(total["95%"])
    errors = int(total["Failure Count"])
    print(
        f"requests/s {float(total['Requests/s']):.1f}  median {total['Median Response Time']} ms  "
        f"p95 {p95:.0f} ms  errors {errors}  "
        f"({'goal met' if errors == 0 and p95 < 500 else 'GOAL MISSED'}: no errors, p95 < 500 ms)"
    )


if __name__ == "__main__":
    main()
