"""What the file imports' endpoints (ledger, NPS survey) share: the file or JSON lines sent,
an explicit mapping, the upload's OpenAPI description and the rows of an errors file."""

import csv
import io
import json

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from ..errors import ApiError
from ..jsonlines import JsonLinesError, json_lines_to_csv

JSON_LINES_TYPES = {"application/x-ndjson", "application/jsonl", "application/json-lines"}


def upload_doc(options: dict[str, dict]) -> dict:
    """`openapi_extra` of an import's POST: a multipart file with `options` (name: JSON
    schema) as form fields, or JSON lines with the options in the query string."""
    return {
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}, **options},
                    }
                },
                "application/x-ndjson": {
                    "schema": {"type": "string", "description": "One JSON object per line."}
                },
            }
        },
        "parameters": [
            {"name": name, "in": "query", "required": False, "schema": {"type": schema["type"]}}
            for name, schema in options.items()
        ],
    }


def upload_options_source(request):
    """Where an import's options come from: the form fields of a file upload, or the query
    string beside JSON lines."""
    return request.POST if request.FILES else request.GET


def upload_mapping(source) -> dict[str, str] | None:
    """The explicit mapping sent (JSON: field to column), or None; 422 when it is not one."""
    if not source.get("mapping"):
        return None
    try:
        mapping = json.loads(source["mapping"])
    except json.JSONDecodeError:
        mapping = None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise ApiError(
            422,
            "invalid",
            _('The mapping must be a JSON object of fields to columns: {"amount": "Total"}.'),
            field="mapping",
        )
    return mapping


def upload_file(request, *, unsupported_message: str, required_message: str):
    """The file sent (multipart field "file"), or JSON lines as a CSV file; 415 for another
    body, 422 for none or for lines that are not plain JSON objects. The messages name what
    the endpoint imports."""
    if "file" in request.FILES:
        return request.FILES["file"]
    content_type = request.content_type or ""
    if content_type in JSON_LINES_TYPES:
        try:
            return ContentFile(json_lines_to_csv(request.body), name="api-lines.csv")
        except (JsonLinesError, UnicodeDecodeError) as exc:
            row = getattr(exc, "line", None) or None
            raise ApiError(
                422,
                "invalid_json_lines",
                _("Each line must be one JSON object of plain values (no lists or objects)."),
                row=row,
            ) from exc
    if content_type != "multipart/form-data" and request.body:
        raise ApiError(415, "unsupported_media_type", unsupported_message)
    raise ApiError(422, "file_required", required_message, field="file")


def errors_file_rows(errors_file) -> list[dict]:
    """Every row error of an import's errors file (`accounts.ledger.running.errors_csv`),
    in row order; none without a file."""
    if not errors_file:
        return []
    with errors_file.open("rb") as handle:
        reader = csv.reader(io.TextIOWrapper(handle, encoding="utf-8-sig"))
        next(reader, None)
        return [
            {"row": int(row), "column": column, "value": value, "message": message}
            for _file, row, column, value, message in reader
        ]


def errors_page(rows: list[dict], *, offset: int, limit: int) -> dict:
    """A page of an import's row errors (they never change once it has run)."""
    limit = max(1, min(limit, 10_000))
    offset = max(0, offset)
    return {"total": len(rows), "offset": offset, "items": rows[offset : offset + limit]}
