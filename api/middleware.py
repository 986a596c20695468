"""The API's own middleware: each request starts with no API token in the audit context
(see `api.audit`), and every error under /api/v1/ answers in the one JSON shape."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.urls import reverse

from .audit import audit_token_scope
from .errors import status_error_response


class ApiTokenScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_token_scope():
            return self.get_response(request)


class ApiErrorShapeMiddleware:
    """An error answered under /api/v1/ by Django or django-ninja themselves (an unknown
    path's 404, a wrong method's 405, an unreadable request's 400, a body too large, a
    server error) is given the one JSON shape, in the caller's language; the endpoints'
    own errors already have it. Placed after the language middleware, so the language
    the request chose is active."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not self._is_api(request):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        if status == 400 and _declared_size(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            status = 413  # Django refused to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE
        allow = response.get("Allow")
        if allow:
            allow = ", ".join(sorted(method.strip() for method in allow.split(",")))
        shaped = status_error_response(status, allow=allow)
        for header in ("Retry-After", "Vary"):
            if header in response:
                shaped[header] = response[header]
        return shaped

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig) and self._is_api(request):
            return status_error_response(413)
        return None

    def _is_api(self, request) -> bool:
        if self.prefix is None:
            self.prefix = reverse("api:api-root")
        return request.path_info.startswith(self.prefix)


def _declared_size(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
