"""Settings come from the environment, with defaults that need no service."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import django; from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE']); print(s.CELERY_BROKER_URL); "
    "print(s.CACHES['default']['BACKEND']); print(s.DEBUG); print(s.TIME_ZONE)"
)


def _settings_with(env: dict[str, str]) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    # DEBUG is off by default, so a key of production length is given.
    clean.update({"SECRET_KEY": "k" * 50, **env}, DJANGO_SETTINGS_MODULE="kamapp.settings")
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_defaults_need_no_service():
    engine, broker, cache, debug, _tz = _settings_with({})
    assert engine == "django.db.backends.sqlite3"
    assert broker.startswith("sqla+sqlite:///")
    assert cache.endswith("LocMemCache")
    assert debug == "False"


def test_debug_is_on_only_when_the_environment_turns_it_on():
    # `make run` and `.env.example` set DEBUG=true; the development key comes with it.
    *_services, debug, _tz = _settings_with({"DEBUG": "true"})
    assert debug == "True"


def test_importing_the_settings_creates_nothing_on_disk():
    fail_mkdir = (
        "import pathlib; "
        "pathlib.Path.mkdir = lambda *a, **k: (_ for _ in ()).throw(AssertionError('mkdir')); "
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DEBUG="true", DJANGO_SETTINGS_MODULE="kamapp.settings")
    result = subprocess.run(
        [sys.executable, "-c", fail_mkdir + PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_database_and_redis_urls_are_read_from_the_environment():
    engine, broker, cache, _debug, tz = _settings_with(
        {
            "DATABASE_URL": "postgres://u@db.example:5432/kam",
            "REDIS_URL": "redis://cache.example:6379/3",
            "TIME_ZONE": "Europe/Paris",
        }
    )
    assert engine == "django.db.backends.postgresql"
    assert broker == "redis://cache.example:6379/3"
    assert cache.endswith("RedisCache")
    assert tz == "Europe/Paris"


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DEBUG="false", DJANGO_SETTINGS_MODULE="kamapp.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_check_is_clean_with_production_values():
    # The browser tests relax async safety for their own process; production never does.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DEBUG="false",
        SECRET_KEY="x" * 20 + "production-grade-secret-key-for-the-check-0123456789",
        ALLOWED_HOSTS="kam.example.com",
        DJANGO_SETTINGS_MODULE="kamapp.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_ledger_import_stores_in_chunks_on_sqlite_and_in_one_transaction_on_postgresql():
    probe = "from django.conf import settings as s; print(s.LEDGER_IMPORT_CHUNK_LINES)"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(SECRET_KEY="k" * 50, DJANGO_SETTINGS_MODULE="kamapp.settings")
    postgresql = {"DATABASE_URL": "postgres://u@db.example:5432/kam"}
    for extra, expected in (
        ({}, "50000"),
        (postgresql, "0"),
        ({"LEDGER_IMPORT_CHUNK_LINES": "0"}, "0"),
        ({**postgresql, "LEDGER_IMPORT_CHUNK_LINES": "20000"}, "20000"),
    ):
        result = subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, env={**env, **extra}, capture_output=True
        )
        assert result.stdout.decode().strip() == expected, result.stderr
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**env, "LEDGER_IMPORT_CHUNK_LINES": "-1"},
        capture_output=True,
    )
    assert b"LEDGER_IMPORT_CHUNK_LINES must be 0 or more" in result.stderr
