"""Background jobs of the accounts app; each loads its object and calls one service."""

from celery import shared_task
from django.db import OperationalError

from .ledger.services import ledger_import_run
from .models import LedgerImport, MetricsRun
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


@shared_task(
    bind=True,
    autoretry_for=(OperationalError,),  # e.g. SQLite busy: the file rolled back whole
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
)
def ledger_import_task(self, ledger_import_id: int) -> dict:
    ledger_import = LedgerImport.objects.get(pk=ledger_import_id)

    def progress(stage: str, done: int, total: int) -> None:
        # Progress goes to the result backend: the stored lines are in a transaction that
        # other connections cannot see until it commits.
        if not self.request.is_eager and self.request.id:
            self.update_state(state="PROGRESS", meta={"stage": stage, "done": done, "total": total})

    ledger_import_run(ledger_import=ledger_import, progress=progress)
    return {"status": ledger_import.status, "rows_imported": ledger_import.rows_imported}
