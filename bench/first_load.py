"""The matrix page in headless Chromium, 5,000 accounts: time until the chart is drawn and
bytes transferred, on a fresh browser (empty cache) and on a repeat visit (same browser).

Three servers (gunicorn, DEBUG off unless named) on one database, measured in the same run:
  baseline  plotly's full bundle (4.8 MB) uncompressed, max-age=0: how it was served
            (bench/first_load_baseline.py);
  new       the vendored basic bundle after collectstatic: hashed, brotli, immutable;
  make run  the same bundle served as `make run` does (DEBUG on, from the finders, gzip).
Each over the loopback as it is, and throttled to a modest office line (NETWORK_MBPS,
default 20 Mbit/s, 30 ms latency). Prints medians over RUNS (5) and the ratios to the
baseline, with the load average.

  .venv/bin/python bench/first_load.py
"""

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# One key for the sessions made here and the servers that read them.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

# The matrix page benchmark's seeding and database (a fresh SQLite file under bench/out/
# unless DATABASE_URL names one); it sets Django up on import.
from bench.load import _signed_in_session, _wait_for  # noqa: E402
from bench.matrix_page import ACCOUNTS, build_round  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

RUNS = int(os.environ.get("RUNS", 5))
NETWORK_MBPS = float(os.environ.get("NETWORK_MBPS", 20))
LATENCY_MS = 30
BIN = Path(sys.executable).parent
DRAWN = ".plotly-chart.matrix[data-drawn='1'] .scatterlayer .point"
NETWORKS = {
    "loopback": None,
    f"{NETWORK_MBPS:g} Mbit/s, {LATENCY_MS} ms": {
        "offline": False,
        "latency": LATENCY_MS,
        "downloadThroughput": NETWORK_MBPS * 1_000_000 / 8,
        "uploadThroughput": NETWORK_MBPS * 1_000_000 / 8,
    },
}


def _server(name: str, port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "kamapp.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )


def _servers() -> dict[str, tuple[int, dict]]:
    common = {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    static_root = tempfile.mkdtemp(prefix="kamapp-first-load-")
    new = {**common, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "kamapp.settings"}
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **new, "STATIC_ROOT": static_root},
        check=True,
    )
    return {
        "baseline": (
            8771,
            {
                **common,
                "DEBUG": "false",
                "DJANGO_SETTINGS_MODULE": "bench.first_load_baseline",
                "STATIC_ROOT": tempfile.mkdtemp(prefix="kamapp-first-load-empty-"),
            },
        ),
        "new": (8772, {**new, "STATIC_ROOT": static_root}),
        "make run": (
            8773,
            {**common, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "kamapp.settings"},
        ),
    }


def _load(page, cdp, url: str) -> dict:
    """One visit: ms from navigation start until the chart's points are drawn, and bytes."""
    seen = {"bytes": 0, "requests": 0, "cached": 0, "html": 0}
    document = {}

    def sent(event):
        seen["requests"] += 1
        if event.get("type") == "Document":
            document["id"] = event["requestId"]

    def finished(event):
        seen["bytes"] += event["encodedDataLength"]
        if event["requestId"] == document.get("id"):
            seen["html"] = event["encodedDataLength"]

    def cached(_event):
        seen["cached"] += 1

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.requestServedFromCache", cached)
    page.goto(url, wait_until="commit")
    drawn = page.wait_for_function(
        f'() => document.querySelector("{DRAWN}") ? performance.now() : null',
        polling="raf",
        timeout=120_000,
    ).json_value()
    page.wait_for_load_state("load")
    for event, handler in (
        ("Network.requestWillBeSent", sent),
        ("Network.loadingFinished", finished),
        ("Network.requestServedFromCache", cached),
    ):
        cdp.remove_listener(event, handler)
    return {"ms": drawn, **seen}


def _measure(browser, base: str, session_key: str, matrix_path: str, network) -> dict:
    first, repeat = [], []
    for _ in range(RUNS):
        context = browser.new_context()
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base}]
        )
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        if network:
            cdp.send("Network.emulateNetworkConditions", network)
        first.append(_load(page, cdp, base + matrix_path))
        repeat.append(_load(page, cdp, base + matrix_path))
        context.close()
    return {"first": first, "repeat": repeat}


def _median(loads: list[dict], key: str) -> float:
    return statistics.median(load[key] for load in loads)


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    start = time.perf_counter()
    scoring_round, team, _manager = build_round(ACCOUNTS)
    print(f"first load: {ACCOUNTS:,} accounts (built in {time.perf_counter() - start:.1f} s)")
    _username, session_key = _signed_in_session(team)
    matrix_path = f"/rounds/{scoring_round.pk}/"
    servers = _servers()
    processes = [_server(name, port, env) for name, (port, env) in servers.items()]
    results = {}
    try:
        for port, _env in servers.values():
            _wait_for(f"http://127.0.0.1:{port}/login/", seconds=60)
        load_before = os.getloadavg()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for network_name, network in NETWORKS.items():
                for name, (port, _env) in servers.items():
                    base = f"http://127.0.0.1:{port}"
                    results[network_name, name] = _measure(
                        browser, base, session_key, matrix_path, network
                    )
            browser.close()
        load_after = os.getloadavg()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    print(
        f"matrix page until the chart is drawn, median of {RUNS}; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after "
        f"({os.cpu_count()} cores)"
    )
    for network_name in NETWORKS:
        print(f"  network: {network_name}")
        baseline = results[network_name, "baseline"]
        for name in servers:
            row = results[network_name, name]
            parts = []
            for visit in ("first", "repeat"):
                ms = _median(row[visit], "ms")
                kib = _median(row[visit], "bytes") / 1024
                ratio = _median(baseline[visit], "ms") / ms
                parts.append(
                    f"{visit} {ms:6.0f} ms {kib:7.0f} KiB "
                    f"({_median(row[visit], 'requests'):.0f} requests, "
                    f"{_median(row[visit], 'cached'):.0f} from cache; x{ratio:.2f} faster)"
                )
            print(f"    {name:9} " + " | ".join(parts))
        html = _median(results[network_name, "new"]["first"], "html") / 1024
        print(f"    the page itself (HTML with the chart's data): {html:.0f} KiB")


if __name__ == "__main__":
    main()
