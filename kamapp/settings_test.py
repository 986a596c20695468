"""Settings for the test suite: the development settings, with DEBUG on while they load.

DEBUG defaults to off, which asks for a real SECRET_KEY, redirects to HTTPS and serves
static files from a collected manifest; tests run against the development values instead
(pytest-django then turns DEBUG itself off for each test, as Django's runner does).
Set in the environment, so subprocesses the tests start (a Celery worker, a command)
load the same settings.
"""

import os

os.environ["DEBUG"] = "true"
# Unit tests run tasks in-process; the worker tests start a real worker with this "false".
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from .settings import *  # noqa: F403

# Hashing a password for real takes a CPU-second per user; tests need no such cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Each test reads its rating cells afresh, so query counts do not depend on which tests ran
# before; tests/scoring/test_cells_cache.py turns the cache on for itself.
CACHES["cells"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}  # noqa: F405
