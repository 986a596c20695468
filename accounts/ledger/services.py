"""Writes of the ledger import: record an upload, set its mapping, queue or retry it, run a
file from disk, save mappings. The run itself is in `running`."""

import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from accounts.models import CompanySettings, LedgerImport, LedgerMapping
from accounts.permissions import user_is_admin
from kamapp.tasks import BROKER_ERRORS, job_send

from . import parsing
from .messages import (
    delete_refused_message,
    mapping_problems_message,
    not_queued_message,
    retry_refused_message,
)
from .running import ProgressReport, ledger_import_lines_delete, ledger_import_run
from .tasks import ledger_import_task


def file_checksum(*, handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def ledger_import_create(*, uploaded_file: File, user) -> LedgerImport:
    """Store an uploaded file under MEDIA_ROOT and record it, waiting for its mapping."""
    return upload_record(record=LedgerImport(created_by=user), uploaded_file=uploaded_file)


def upload_record(*, record, uploaded_file: File):
    """Store an uploaded file in `record`'s `file` and save the record with the file's
    name, SHA-256 checksum and size (a ledger import, or an import of another kind)."""
    uploaded_file.seek(0)
    record.file_name = Path(uploaded_file.name).name[:255]
    record.checksum = file_checksum(handle=uploaded_file)
    record.size = uploaded_file.size or 0
    record.file.save(record.file_name, uploaded_file, save=False)
    record.full_clean()
    record.save()
    return record


def ledger_import_configure(
    *,
    ledger_import: LedgerImport,
    mapping: dict[str, str],
    date_format: str,
    valid_only: bool,
    columns: list[str],
    mapping_name: str = "",
    currency: str = "",
    user=None,
) -> LedgerImport:
    """Confirm the mapping and date format of an upload and queue the import."""
    mapping = {field: column for field, column in mapping.items() if column}
    problems = parsing.mapping_problems(mapping, columns)
    if problems:
        suggestions = parsing.mapping_suggestions(mapping, columns)
        raise ValidationError(mapping_problems_message(problems, suggestions))
    with transaction.atomic():
        if mapping_name:
            ledger_mapping_save(
                name=mapping_name,
                columns=columns,
                mapping=mapping,
                date_format=date_format,
                user=user,
            )
        ledger_import.mapping = mapping
        ledger_import.date_format = date_format
        ledger_import.valid_only = valid_only
        ledger_import.currency = _file_currency(currency)
        ledger_import.full_clean()
        ledger_import.save()
        ledger_import_queue(ledger_import=ledger_import)
    return ledger_import


def ledger_import_refuse(*, ledger_import: LedgerImport, message: str) -> LedgerImport:
    """Close an upload that is not a ledger at all, or a run that was cut off, saying why.

    Lines the run had stored (some chunks) are deleted.
    """
    ledger_import.status = LedgerImport.Status.FAILED
    ledger_import.message = message
    ledger_import.finished_at = timezone.now()
    ledger_import.save(update_fields=["status", "message", "finished_at"])
    ledger_import_lines_delete(ledger_import_id=ledger_import.pk)
    return ledger_import


def ledger_import_queue(*, ledger_import: LedgerImport) -> None:
    """Hand the import to a Celery worker once the transaction that set it up commits.

    With the broker down, the record is failed as not queued and the broker error goes on
    to the page (503).
    """
    ledger_import.status = LedgerImport.Status.QUEUED
    ledger_import.heartbeat_at = timezone.now()
    ledger_import.save(update_fields=["status", "heartbeat_at"])

    def send():
        try:
            result = job_send(ledger_import_task, args=(ledger_import.pk,))
        except BROKER_ERRORS:
            LedgerImport.objects.filter(pk=ledger_import.pk).update(
                status=LedgerImport.Status.FAILED,
                message=not_queued_message(),
                finished_at=timezone.now(),
            )
            raise
        LedgerImport.objects.filter(pk=ledger_import.pk, task_id="").update(task_id=result.id)

    transaction.on_commit(send)


def ledger_import_retry(*, ledger_import: LedgerImport, user) -> LedgerImport:
    """Run a failed or rejected import's file again, as a new import.

    A rejected file is run keeping only its valid rows; a failed one as it was set up.
    Refused (ValidationError) for an import that is done, under way, or never confirmed.
    """
    if not ledger_import.can_retry:
        raise ValidationError(retry_refused_message(ledger_import))
    again = LedgerImport(
        file=ledger_import.file.name,
        file_name=ledger_import.file_name,
        checksum=ledger_import.checksum,
        size=ledger_import.size,
        created_by=user,
        mapping=ledger_import.mapping,
        date_format=ledger_import.date_format,
        valid_only=ledger_import.valid_only or ledger_import.status == LedgerImport.Status.REJECTED,
        currency=ledger_import.currency,
    )
    with transaction.atomic():
        again.full_clean()
        again.save()
        ledger_import_queue(ledger_import=again)
    return again


def ledger_import_delete(*, ledger_import: LedgerImport, user) -> None:
    """Delete an abandoned, failed or rejected import with its files (admins only).

    Refused (ValidationError) for an import that is done or under way: checked on the row
    locked, so a worker cannot claim it meanwhile. Its stored file stays while a retry of
    it still uses the same one.
    """
    if not user_is_admin(user):
        raise PermissionDenied
    with transaction.atomic():
        current = LedgerImport.objects.select_for_update().get(pk=ledger_import.pk)
        if not current.can_delete:
            raise ValidationError(delete_refused_message(current))
        others = LedgerImport.objects.filter(file=current.file.name).exclude(pk=current.pk)
        unused = [f.name for f in (current.file, current.errors_file) if f]
        if current.file and others.exists():
            unused.remove(current.file.name)
        storage = current.file.storage
        current.delete()
        transaction.on_commit(lambda: [storage.delete(name) for name in unused])


def ledger_import_path(
    *,
    path: Path,
    user=None,
    mapping: dict[str, str] | None = None,
    date_format: str = "",
    valid_only: bool = False,
    currency: str = "",
    progress: ProgressReport | None = None,
) -> LedgerImport:
    """Import a file from disk at once (the command line): record it, then run it."""
    with path.open("rb") as handle:
        checksum = file_checksum(handle=handle)
    ledger_import = LedgerImport(
        file_name=path.name[:255],
        checksum=checksum,
        size=path.stat().st_size,
        created_by=user,
        mapping=mapping or {},
        date_format=date_format,
        valid_only=valid_only,
        currency=_file_currency(currency),
        status=LedgerImport.Status.QUEUED,
    )
    ledger_import.full_clean()
    ledger_import.save()
    return ledger_import_run(ledger_import=ledger_import, path=path, progress=progress)


def ledger_mapping_save(
    *, name: str, columns: list[str], mapping: dict[str, str], date_format: str, user=None
) -> LedgerMapping:
    """Save (or replace) a named mapping for files laid out like this one."""
    ledger_mapping = LedgerMapping.objects.filter(name=name).first() or LedgerMapping(name=name)
    ledger_mapping.columns = list(columns)
    ledger_mapping.mapping = dict(mapping)
    ledger_mapping.date_format = date_format
    ledger_mapping.created_by = ledger_mapping.created_by or user
    ledger_mapping.full_clean()
    ledger_mapping.save()
    return ledger_mapping


def _file_currency(currency: str) -> str:
    """The file's currency as stored: blank when it is the company's own."""
    currency = (currency or "").strip().upper()
    return "" if currency == CompanySettings.load().currency else currency
