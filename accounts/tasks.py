"""Background jobs of the customer metrics, and the check for jobs whose worker died.

The service is imported inside the task: the service module queues this task, so it
imports this module, not the other way round.
"""

from celery import shared_task
from django.db import OperationalError

from .models import MetricsRun


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
    """Run the recompute; the id of the run, or None when another run was under way.

    Its name, `accounts.tasks.metrics_recompute_task`, is stored in the nightly schedule
    (migration 0006): the task stays in this module.
    """
    from .services import MetricsRunBusy, metrics_recompute

    try:
        return metrics_recompute(trigger=trigger, started_by_id=started_by_id).pk
    except MetricsRunBusy:
        return None


@shared_task
def stale_jobs_fail_task() -> dict[str, int]:
    """Fail the imports and recomputes whose worker died: no progress for a while.

    Scheduled every five minutes (migration 0014); how long is too long is the
    JOB_STALE_MINUTES setting.
    """
    from .ledger.running import ledger_imports_fail_stale
    from .services import metrics_runs_fail_stale

    return {"imports": ledger_imports_fail_stale(), "metrics_runs": metrics_runs_fail_stale()}
