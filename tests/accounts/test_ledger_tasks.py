"""The Celery task: loads the import and runs it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.ledger.services import ledger_import_create
from accounts.ledger.tasks import ledger_import_task
from accounts.models import LedgerImport, LedgerLine
from tests.accounts.conftest import LEDGER_EN

pytestmark = pytest.mark.django_db


def test_the_task_runs_the_import_from_the_stored_file(admin_user):
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("l.csv", LEDGER_EN.encode()), user=admin_user
    )
    LedgerImport.objects.filter(pk=ledger_import.pk).update(status=LedgerImport.Status.QUEUED)
    result = ledger_import_task.delay(ledger_import.pk).get()
    assert result == {"status": LedgerImport.Status.DONE, "rows_imported": 4}
    assert LedgerLine.objects.count() == 4


def test_the_task_leaves_an_import_that_is_not_queued_alone(admin_user):
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("l.csv", LEDGER_EN.encode()), user=admin_user
    )
    result = ledger_import_task.delay(ledger_import.pk).get()
    assert result == {"status": LedgerImport.Status.UPLOADED, "rows_imported": 0}
    assert LedgerLine.objects.count() == 0
