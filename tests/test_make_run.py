"""`make run` (web server, Celery worker and beat) stops on Ctrl-C: the terminal sends
SIGINT to the whole foreground process group, and every process of it has to exit."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
STARTUP_SECONDS = 240  # migrations on a fresh database, on a loaded machine
STOP_SECONDS = 60  # generous: the point is that it stops at all, without SIGKILL


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT are POSIX")
@pytest.mark.parametrize(
    "redis_url",
    ["", "redis://127.0.0.1:9/0"],
    ids=["no Redis: the database broker", "a Redis that does not answer"],
)
def test_ctrl_c_stops_the_server_the_worker_and_beat(tmp_path, redis_url):
    port = _free_port()
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PORT": str(port),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [str(ROOT / ".venv/bin/python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    # One customer: `seed_demo --if-empty` leaves the database as it is.
    code = "from accounts.models import Customer; Customer.objects.create(code='C1', name='One')"
    subprocess.run([*manage, "shell", "-c", code], cwd=ROOT, env=env, check=True)
    # -o: the installation is taken as done (the recipe under test is `run` itself).
    make = subprocess.Popen(
        ["make", "-o", ".venv/.installed", f"PORT={port}", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    pgid = make.pid
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert make.poll() is None, "make run exited before serving"
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "make run did not start serving"
                time.sleep(1)
        time.sleep(3)  # the worker and beat are up too
        started = time.monotonic()
        os.killpg(pgid, signal.SIGINT)  # Ctrl-C
        make.wait(timeout=STOP_SECONDS)
        deadline = started + STOP_SECONDS
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _group_alive(pgid), "a process of make run is still running"
        print(f"make run stopped {time.monotonic() - started:.1f} s after Ctrl-C")
    finally:
        if _group_alive(pgid):
            os.killpg(pgid, signal.SIGKILL)
