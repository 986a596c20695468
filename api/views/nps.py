"""NPS survey answers in: a CSV or XLSX file (or JSON lines) run by the survey upload page's
services in the request, answered 202 with the import's URL; its state, report and row
errors, as the ledger's imports answer them."""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from planning.models import SurveyImport
from planning.selectors import survey_import_get
from planning.survey_messages import survey_error_message

from ..schemas import LedgerErrorPageOut, SurveyImportOut
from ..services import survey_import_submit
from . import uploads
from .base import WRITE_ERRORS, require_survey_admin

router = Router(tags=["nps"])

_UPLOAD_DOC = uploads.upload_doc(
    {
        "mapping": {
            "type": "string",
            "description": 'JSON: {"field": "column"}, fields account_code, respondent, '
            "answered_on, score, comment; without it, the columns are guessed from the header.",
        },
        "date_format": {"type": "string", "enum": ["dmy", "mdy", "ymd"]},
    }
)


@router.post(
    "/nps/imports",
    response={202: SurveyImportOut, **WRITE_ERRORS},
    url_name="nps_import_list",
    summary="Import NPS survey answers (CSV, XLSX or JSON lines); 202 with the import's URL",
    openapi_extra=_UPLOAD_DOC,
)
def nps_import_post(request, response: HttpResponse):
    """The survey upload page's import (admins): the same checks, row errors (a file with
    any bad row stores nothing) and idempotency (a file imported before adds nothing, an
    answer stored before is never stored twice), run before the answer. Follow its `url`
    for the import's report."""
    require_survey_admin(request)
    uploaded_file = uploads.upload_file(
        request,
        unsupported_message=_(
            "Send the survey answers as a file (multipart/form-data, field “file”) or as JSON "
            "lines (Content-Type: application/x-ndjson)."
        ),
        required_message=_(
            "Send the survey answers as a file (multipart field “file”) or as JSON lines."
        ),
    )
    source = uploads.upload_options_source(request)
    survey_import = survey_import_submit(
        uploaded_file=uploaded_file,
        user=request.user,
        mapping=uploads.upload_mapping(source),
        date_format=source.get("date_format", "").strip(),
    )
    body = _import_out(request, survey_import)
    response["Location"] = body["url"]
    return Status(202, body)


def _import_or_404(pk: int) -> SurveyImport:
    try:
        return survey_import_get(pk=pk)
    except SurveyImport.DoesNotExist as exc:
        raise Http404 from exc


def _import_out(request, survey_import: SurveyImport) -> dict:
    finished = survey_import.status != SurveyImport.Status.UPLOADED
    resent = survey_import.same_as_id is not None
    return {
        "id": survey_import.pk,
        "url": request.build_absolute_uri(
            reverse("api:nps_import_detail", args=[survey_import.pk])
        ),
        "errors_url": request.build_absolute_uri(
            reverse("api:nps_import_errors", args=[survey_import.pk])
        ),
        "file_name": survey_import.file_name,
        "status": survey_import.status,
        "finished": finished,
        # Run in the request: an import is waiting for its mapping or has run.
        "progress": {"stage": survey_import.status, "percent": 100 if finished else 0},
        "message": survey_import.message,
        "resent": resent,
        "resent_message": _("This file was imported before (import %(id)s): it added no answer.")
        % {"id": survey_import.same_as_id}
        if resent
        else None,
        "report": {
            "rows_read": survey_import.rows_total,
            "answers_imported": survey_import.rows_imported,
            "answers_already_stored": survey_import.rows_duplicate,
            "rows_with_errors": survey_import.rows_invalid,
            "errors": survey_import.error_count,
        },
        "first_errors": [
            {**error, "message": survey_error_message(error["code"])}
            for error in survey_import.errors
        ],
    }


@router.get(
    "/nps/imports/{pk}",
    response={200: SurveyImportOut, **WRITE_ERRORS},
    url_name="nps_import_detail",
    summary="A survey import's state and report",
)
def nps_import_detail(request, pk: int):
    require_survey_admin(request)
    return _import_out(request, _import_or_404(pk))


@router.get(
    "/nps/imports/{pk}/errors",
    response={200: LedgerErrorPageOut, **WRITE_ERRORS},
    url_name="nps_import_errors",
    summary="Every row error of a survey import",
)
def nps_import_errors(request, pk: int, offset: int = 0, limit: int = 1000):
    """All of them, from the errors file, in row order (`offset` and `limit` page them)."""
    require_survey_admin(request)
    rows = uploads.errors_file_rows(_import_or_404(pk).errors_file)
    return uploads.errors_page(rows, offset=offset, limit=limit)
