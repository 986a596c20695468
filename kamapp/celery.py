"""The Celery app: configuration from Django settings, tasks found in each app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kamapp.settings")

# Every task, @shared_task ones included, retries transient failures and records final ones.
app = Celery("kamapp", task_cls="kamapp.tasks:KamTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
