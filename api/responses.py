"""JSON answers with an ETag: a client that sends it back in If-None-Match gets 304."""

import hashlib
import json

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags


def etag_response(request, schema, data) -> HttpResponse:
    """`data` validated by `schema` as JSON, with a strong ETag of its bytes."""
    payload = schema.model_validate(data).model_dump(mode="json")
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:40]}"'
    known = parse_etags(request.headers.get("If-None-Match", ""))
    if etag in known or "*" in known:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    # What a caller sees depends on who asks and in which language (box names, blind rules).
    patch_vary_headers(response, ["Accept-Language", "Authorization", "Cookie"])
    return response
