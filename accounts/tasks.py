"""Background jobs for accounts: the metrics and Pareto recompute."""

from celery import shared_task
from django.db import OperationalError

from .models import MetricsRun
from .services import MetricsRunBusy, metrics_recompute


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def metrics_recompute_task(
    *, trigger: str = MetricsRun.Trigger.SCHEDULE, started_by_id: int | None = None
) -> int | None:
    """Run the recompute; the id of the run, or None when another run was under way."""
    try:
        return metrics_recompute(trigger=trigger, started_by_id=started_by_id).pk
    except MetricsRunBusy:
        return None
