"""Settings for the test suite: the development settings, with DEBUG on while they load.

DEBUG defaults to off, which asks for a real SECRET_KEY, redirects to HTTPS and serves
static files from a collected manifest; tests run against the development values instead
(pytest-django then turns DEBUG itself off for each test, as Django's runner does).
Set in the environment, so subprocesses the tests start (a Celery worker, a command)
load the same settings.
"""

import os

os.environ["DEBUG"] = "true"

from .settings import *  # noqa: F403
