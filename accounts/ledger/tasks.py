"""Background job of the ledger import: loads the import and runs it.

The service is imported inside the task: the service module queues this task, so it
imports this module, not the other way round.
"""

from celery import shared_task
from django.db import OperationalError

from accounts.models import LedgerImport


@shared_task(
    # The name it had in accounts/tasks.py, so imports queued before a deploy still run.
    name="accounts.tasks.ledger_import_task",
    bind=True,
    autoretry_for=(OperationalError,),  # e.g. SQLite busy: the file rolled back whole
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
)
def ledger_import_task(self, ledger_import_id: int) -> dict:
    from .services import ledger_import_run

    ledger_import = LedgerImport.objects.get(pk=ledger_import_id)

    def progress(stage: str, done: int, total: int) -> None:
        # Progress goes to the result backend: the stored lines are in a transaction that
        # other connections cannot see until it commits.
        if not self.request.is_eager and self.request.id:
            self.update_state(state="PROGRESS", meta={"stage": stage, "done": done, "total": total})

    ledger_import_run(ledger_import=ledger_import, progress=progress)
    return {"status": ledger_import.status, "rows_imported": ledger_import.rows_imported}
