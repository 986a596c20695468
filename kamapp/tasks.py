"""The base class of every Celery task (retries with back-off, failures kept for admins),
and how a page queues a job.

A task fails for two kinds of reasons. A service that is down for a moment (the database,
Redis, the network) is retried with exponential back-off and jitter; anything else is a
bug or bad data, which retrying would not fix. Either way, a task that fails for good
leaves a TaskFailure row that admins see in the admin.
"""

import logging

from celery import Task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError, ConnectionError, TimeoutError)
# What publishing a job raises when the broker cannot be reached (the page answers 503).
BROKER_ERRORS = (BrokerError, ConnectionError, TimeoutError)


def job_send(task, *, args: tuple = (), kwargs: dict | None = None):
    """Queue a job whose outcome is kept on its own record (an import, a metrics run).

    Its result is not subscribed to: with a Redis result backend Celery would otherwise
    subscribe before publishing, and with Redis down retry that for 20 seconds and raise a
    RuntimeError (a 500). Publishing alone fails within the settings' short retry policy,
    with one of BROKER_ERRORS. Progress the task reports (`update_state`) is still stored.
    """
    return task.apply_async(args=args, kwargs=kwargs or {}, ignore_result=True)


class KamTask(Task):
    autoretry_for = TRANSIENT_ERRORS
    max_retries = 5
    retry_backoff = 2  # seconds before the first retry, doubling each time
    retry_backoff_max = 600
    retry_jitter = True

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .models import TaskFailure

        try:
            TaskFailure.objects.create(
                task_name=self.name,
                task_id=task_id or "",
                arguments=repr({"args": args, "kwargs": kwargs})[:10_000],
                exception=f"{type(exc).__name__}: {exc}"[:10_000],
                traceback=str(einfo)[:50_000],
                retries=self.request.retries or 0,
            )
        except Exception:  # the database may be the very thing that is down
            logger.exception("Could not record the failure of task %s (%s)", self.name, task_id)
        super().on_failure(exc, task_id, args, kwargs, einfo)
