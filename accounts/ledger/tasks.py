"""Background job of the ledger import: loads the import and runs it.

The service is imported inside the task: the service module queues this task, so it
imports this module, not the other way round.
"""

from celery import shared_task
from django.db import OperationalError

from accounts.models import LedgerImport

from .messages import IMPORT_INTERRUPTED


@shared_task(
    # The name it had in accounts/tasks.py, so imports queued before a deploy still run.
    name="accounts.tasks.ledger_import_task",
    bind=True,
    autoretry_for=(OperationalError,),  # e.g. SQLite busy: its stored chunks are deleted
    retry_backoff=True,
    max_retries=2,
    # Acknowledged once it ends, however it ends: a worker process that dies under a file
    # fails the task instead of handing the file to the next process, and the next.
    acks_late=True,
    reject_on_worker_lost=False,
    retry_on_worker_lost=False,
)
def ledger_import_task(self, ledger_import_id: int) -> dict:
    from .services import ledger_import_refuse, ledger_import_run

    ledger_import = LedgerImport.objects.get(pk=ledger_import_id)
    running = ledger_import.status == LedgerImport.Status.RUNNING
    if not self.request.retries and (running or ledger_import.is_finished):
        # The broker delivered this message again (its worker stopped before acknowledging
        # it): a run that started and never finished is closed, never run a second time.
        if running:
            ledger_import_refuse(ledger_import=ledger_import, message=str(IMPORT_INTERRUPTED))
        return {"status": ledger_import.status, "rows_imported": ledger_import.rows_imported}

    def progress(stage: str, done: int, total: int) -> None:
        # Progress goes to the result backend: within a chunk, the stored lines are in a
        # transaction that other connections cannot see until it commits.
        if not self.request.is_eager and self.request.id:
            self.update_state(state="PROGRESS", meta={"stage": stage, "done": done, "total": total})

    ledger_import_run(ledger_import=ledger_import, progress=progress)
    return {"status": ledger_import.status, "rows_imported": ledger_import.rows_imported}
