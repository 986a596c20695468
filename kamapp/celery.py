"""The Celery app: configuration from Django settings, tasks found in each app."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kamapp.settings")

# Every task, @shared_task ones included, retries transient failures and records final ones.
app = Celery("kamapp", task_cls="kamapp.tasks:KamTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Tasks that live beside their services in an app's sub-package.
app.autodiscover_tasks(["accounts.ledger"])

# URLs of the embedded broker and result backend: SQLite files, in a directory of their own.
_SQLITE_URL_PREFIXES = ("sqla+sqlite:///", "db+sqlite:///")


def sqlite_directories_make(*, urls: list[str]) -> None:
    """Create the directory of each SQLite file the broker or result backend will open.

    SQLite creates a missing file but not a missing directory. Done when the app is
    configured (its first use, in the web process or the worker), so that importing the
    settings writes nothing to disk.
    """
    for url in urls:
        if url and url.startswith(_SQLITE_URL_PREFIXES):
            Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _embedded_broker_directory(sender, **kwargs) -> None:
    sqlite_directories_make(urls=[sender.conf.broker_url, sender.conf.result_backend])
