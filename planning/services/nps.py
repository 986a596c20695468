"""Writes of the NPS survey import: record an upload, then run it while the admin waits.

Survey files are small (NPS_MAX_UPLOAD_BYTES, NPS_MAX_ROWS): read, checked and stored in
the request, with the ledger's reading, limits, mapping guess, dates, NUL-byte check and
formula-safe errors CSV. A file with any bad row stores nothing; a file whose checksum an
earlier import had adds nothing and says so; an answer already stored (same account,
respondent and date) is counted as such, never stored twice.
"""

import datetime as dt

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.ledger import parsing
from accounts.ledger.messages import file_error_message
from accounts.ledger.running import errors_csv, errors_kept
from accounts.ledger.services import upload_record
from accounts.models import Customer
from scoring.services import derived_ratings_refresh

from .. import survey
from ..models import NpsAnswer, SurveyImport
from ..permissions import user_can_configure_planning
from ..selectors.nps import survey_import_earlier
from ..survey_messages import survey_error_message, survey_mapping_message


def survey_limits() -> parsing.LedgerLimits:
    rows = settings.NPS_MAX_ROWS
    return parsing.LedgerLimits(
        file_bytes=settings.NPS_MAX_UPLOAD_BYTES,
        rows=rows,
        columns=100,
        cells=rows * 100,
        xlsx_uncompressed_bytes=64 * settings.NPS_MAX_UPLOAD_BYTES,
        xlsx_compression_ratio=settings.LEDGER_MAX_XLSX_COMPRESSION_RATIO,
    )


def _check_admin(user) -> None:
    if not user_can_configure_planning(user=user):
        raise PermissionDenied


def survey_import_create(*, uploaded_file: File, user) -> SurveyImport:
    """Store an uploaded survey file and record it, waiting for its mapping (admins only)."""
    _check_admin(user)
    return upload_record(record=SurveyImport(created_by=user), uploaded_file=uploaded_file)


def survey_import_refuse(*, survey_import: SurveyImport, message: str) -> SurveyImport:
    """Close an upload that cannot be read as a survey file, saying why."""
    survey_import.status = SurveyImport.Status.FAILED
    survey_import.message = message
    survey_import.finished_at = timezone.now()
    survey_import.full_clean()
    survey_import.save()
    return survey_import


@transaction.atomic
def survey_import_run(
    *,
    survey_import: SurveyImport,
    mapping: dict[str, str],
    date_format: str,
    columns: list[str],
    user,
    today: dt.date | None = None,
) -> SurveyImport:
    """Check the mapping, then read, validate and store the file's answers (admins only).

    Refused (ValidationError) for a mapping that lacks a field or names a column the file
    does not have, and for an import that already ran.
    """
    _check_admin(user)
    survey_import = SurveyImport.objects.select_for_update().get(pk=survey_import.pk)
    if survey_import.status != SurveyImport.Status.UPLOADED:
        raise ValidationError(
            _("This file has been imported already: upload it again to rerun it.")
        )
    mapping = {field: column for field, column in mapping.items() if column}
    problems = survey.survey_mapping_problems(mapping, columns)
    if problems:
        suggestions = survey.survey_mapping_suggestions(mapping, columns)
        raise ValidationError(survey_mapping_message(problems, suggestions))
    survey_import.mapping = mapping
    survey_import.date_format = date_format
    earlier = survey_import_earlier(survey_import=survey_import)
    if earlier is not None:
        survey_import.same_as = earlier
        return _finish(survey_import, status=SurveyImport.Status.DONE)
    try:
        table = survey.survey_read(survey_import.file.path, limits=survey_limits())
        known = set(Customer.objects.values_list("code", flat=True))
        checked = survey.survey_check(
            table,
            mapping=mapping,
            date_order=date_format,
            today=today or timezone.localdate(),
            known_codes=known,
        )
    except parsing.LedgerFileError as exc:
        survey_import.message = file_error_message(exc)
        return _finish(survey_import, status=SurveyImport.Status.FAILED)
    survey_import.rows_total = checked.rows_total
    _errors_record(survey_import, checked)
    if checked.rows_invalid:
        return _finish(survey_import, status=SurveyImport.Status.REJECTED)
    survey_import.rows_imported = _answers_store(survey_import, checked)
    survey_import.rows_duplicate = checked.rows_total - survey_import.rows_imported
    _finish(survey_import, status=SurveyImport.Status.DONE)
    if survey_import.rows_imported:
        # A strength factor bound to the NPS rates the open rounds afresh.
        transaction.on_commit(derived_ratings_refresh)
    return survey_import


def _answers_store(survey_import: SurveyImport, checked: survey.CheckedSurvey) -> int:
    """Store the answers not already there (same account, respondent and date)."""
    answers = checked.answers
    ids = dict(
        Customer.objects.filter(code__in=set(answers["account_code"])).values_list("code", "pk")
    )
    days = answers["answered_on"].to_numpy("datetime64[D]").astype(dt.date)
    customer_ids = [ids[code] for code in answers["account_code"]]
    stored = set(
        NpsAnswer.objects.filter(customer_id__in=set(customer_ids)).values_list(
            "customer_id", "respondent", "answered_on"
        )
    )
    new = [
        NpsAnswer(
            customer_id=customer_id,
            respondent=respondent,
            answered_on=day,
            score=int(score),
            comment=comment,
            survey_import=survey_import,
        )
        for customer_id, respondent, day, score, comment in zip(
            customer_ids,
            answers["respondent"],
            days,
            answers["score"].to_numpy(dtype=np.int64),
            answers["comment"],
            strict=True,
        )
        if (customer_id, respondent, day) not in stored
    ]
    NpsAnswer.objects.bulk_create(new, batch_size=1000)
    return len(new)


def _errors_record(survey_import: SurveyImport, checked: survey.CheckedSurvey) -> None:
    errors = checked.errors
    survey_import.rows_invalid = checked.rows_invalid
    survey_import.error_count = len(errors)
    survey_import.errors = errors_kept(errors)
    if len(errors):
        content = errors_csv(
            file_name=survey_import.file_name, errors=errors, message=survey_error_message
        )
        survey_import.errors_file.save(f"{survey_import.pk}.csv", ContentFile(content), save=False)


def _finish(survey_import: SurveyImport, *, status: str) -> SurveyImport:
    survey_import.status = status
    survey_import.finished_at = timezone.now()
    survey_import.full_clean()
    survey_import.save()
    return survey_import
