"""Ledger in: a CSV or XLSX file (or JSON lines) run by the upload page's import service,
answered 202 with the import's URL; the import's state, progress, report and row errors."""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from accounts.ledger.messages import error_message, not_queued_message
from accounts.ledger.selectors import ledger_import_get, ledger_import_progress
from accounts.models import LedgerImport
from kamapp.tasks import BROKER_ERRORS

from .. import selectors
from ..errors import ApiError
from ..schemas import ErrorOut, LedgerErrorPageOut, LedgerImportOut
from ..services import ledger_import_submit
from .base import WRITE_ERRORS, require_admin
from .uploads import (
    errors_file_rows,
    errors_page,
    upload_doc,
    upload_file,
    upload_mapping,
    upload_options_source,
)

router = Router(tags=["ledger"])
ERRORS = {**WRITE_ERRORS, 503: ErrorOut}
_UPLOAD_DOC = upload_doc(
    {
        "mapping_name": {"type": "string"},
        "mapping": {"type": "string", "description": 'JSON: {"field": "column"}'},
        "date_format": {"type": "string", "enum": ["dmy", "mdy", "ymd"]},
        "valid_only": {"type": "boolean"},
        "currency": {"type": "string"},
    }
)


def _options(request) -> dict:
    """The import's options, from the form fields of a file upload or the query string."""
    source = upload_options_source(request)
    return {
        "mapping_name": source.get("mapping_name", "").strip(),
        "mapping": upload_mapping(source),
        "date_format": source.get("date_format", "").strip(),
        "valid_only": source.get("valid_only", "").lower() in {"1", "true", "yes", "on"},
        "currency": source.get("currency", "").strip(),
    }


def _uploaded_file(request):
    return upload_file(
        request,
        unsupported_message=_(
            "Send the ledger as a file (multipart/form-data, field “file”) or as JSON "
            "lines (Content-Type: application/x-ndjson)."
        ),
        required_message=_("Send the ledger as a file (multipart field “file”) or as JSON lines."),
    )


@router.post(
    "/ledger/imports",
    response={202: LedgerImportOut, **ERRORS},
    url_name="ledger_import_list",
    summary="Import a sales ledger (CSV, XLSX or JSON lines); 202 with the import's URL",
    openapi_extra=_UPLOAD_DOC,
)
def ledger_import_post(request, response: HttpResponse):
    """The upload page's import, for the ERP's nightly push (admins): the same checks, row
    errors, idempotency (lines already imported are never added again) and one transaction,
    run by a background job. Follow the answer's `url` for its state and report."""
    require_admin(request)
    uploaded_file = _uploaded_file(request)
    try:
        ledger_import = ledger_import_submit(
            uploaded_file=uploaded_file, user=request.user, **_options(request)
        )
    except BROKER_ERRORS as exc:
        raise ApiError(503, "not_queued", not_queued_message()) from exc
    ledger_import.refresh_from_db()
    body = _import_out(request, ledger_import)
    response["Location"] = body["url"]
    return Status(202, body)


def _import_or_404(pk: int) -> LedgerImport:
    try:
        return ledger_import_get(pk=pk)
    except LedgerImport.DoesNotExist as exc:
        raise Http404 from exc


def _import_out(request, ledger_import: LedgerImport) -> dict:
    progress = ledger_import_progress(ledger_import=ledger_import)
    earlier = selectors.ledger_import_earlier(ledger_import=ledger_import)
    resent = (
        earlier is not None
        and ledger_import.status == LedgerImport.Status.DONE
        and ledger_import.rows_imported == 0
    )
    return {
        "id": ledger_import.pk,
        "url": request.build_absolute_uri(
            reverse("api:ledger_import_detail", args=[ledger_import.pk])
        ),
        "errors_url": request.build_absolute_uri(
            reverse("api:ledger_import_errors", args=[ledger_import.pk])
        ),
        "file_name": ledger_import.file_name,
        "status": ledger_import.status,
        "finished": ledger_import.is_finished,
        "stage": ledger_import.stage or None,
        "progress": {
            "stage": progress.stage,
            "percent": 100 if ledger_import.is_finished else progress.percent,
        },
        "message": ledger_import.message,
        "resent": resent,
        "resent_message": _("This file was imported before (import %(id)s): it added no line.")
        % {"id": earlier.pk}
        if resent
        else None,
        "report": {
            "rows_read": ledger_import.rows_total,
            "lines_imported": ledger_import.rows_imported,
            "lines_already_there": ledger_import.rows_duplicate,
            "rows_with_errors": ledger_import.rows_invalid,
            "rows_without_customer": ledger_import.rows_skipped,
            "customers_created": ledger_import.customers_created,
            "errors": ledger_import.error_count,
        },
        "first_errors": [
            {
                "row": error["row"],
                "column": error["column"],
                "value": error["value"],
                "code": error["code"],
                "message": error_message(error["code"]),
            }
            for error in ledger_import.errors
        ],
    }


@router.get(
    "/ledger/imports/{pk}",
    response={200: LedgerImportOut, **ERRORS},
    url_name="ledger_import_detail",
    summary="An import's state, progress and report",
)
def ledger_import_detail(request, pk: int):
    require_admin(request)
    return _import_out(request, _import_or_404(pk))


@router.get(
    "/ledger/imports/{pk}/errors",
    response={200: LedgerErrorPageOut, **ERRORS},
    url_name="ledger_import_errors",
    summary="Every row error of an import",
)
def ledger_import_errors(request, pk: int, offset: int = 0, limit: int = 1000):
    """All of them, from the errors file, in row order (`offset` and `limit` page them:
    an import's errors never change once it has run)."""
    require_admin(request)
    rows = errors_file_rows(_import_or_404(pk).errors_file)
    return errors_page(rows, offset=offset, limit=limit)
