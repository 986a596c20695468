"""Browser journeys: Playwright drives Debian's Chromium against a live server.

Playwright cannot download its own browsers here, so the system Chromium is used. When it
is missing the journeys are skipped, except where E2E_REQUIRED is set (CI), where a
missing browser is a failure.
"""

import os
from pathlib import Path

import pytest

from demo.services import demo_company_seed

# Playwright's sync API runs an event loop in this thread; the live server's database
# work happens in other threads, so Django's async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture
def demo_site(transactional_db, live_server, settings):
    settings.DEBUG = True
    demo_company_seed(create_logins=True)
    return live_server


@pytest.fixture
def login(page, demo_site):
    """Sign in through the real login form; returns a function of the username."""

    def sign_in(username: str, password: str = "demo"):
        page.goto(f"{demo_site.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{demo_site.url}/")
        return page

    return sign_in
