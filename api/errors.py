"""Every API error in one JSON shape, in the caller's language:
`{"error": {"code", "message", "field", "row"}}`."""

import logging

from django.conf import settings
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError


class ApiError(Exception):
    """An error the API answers as it is: status, code, message, and where."""

    def __init__(self, status: int, code: str, message: str, *, field=None, row=None):
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.row = (
            status,
            code,
            message,
            field,
            row,
        )


def error_body(code: str, message: str, *, field=None, row=None) -> dict:
    return {"error": {"code": code, "message": str(message), "field": field, "row": row}}


class UnsupportedMediaType(ValueError):
    """A body the endpoint cannot read in this Content-Type (see `api.parsers`)."""


# What a status means when nothing more precise is known (Django's or django-ninja's own
# answers: an unknown path, a wrong method, an unreadable request).
STATUS_ERRORS = {
    400: ("bad_request", gettext_lazy("The request could not be read.")),
    401: (
        "unauthenticated",
        gettext_lazy("Send a valid API token (Authorization: Bearer …) or sign in."),
    ),
    403: ("forbidden", gettext_lazy("You are not allowed to do this.")),
    404: ("not_found", gettext_lazy("Not found.")),
    405: ("method_not_allowed", gettext_lazy("This address does not take this method.")),
    406: ("not_acceptable", gettext_lazy("The API answers in JSON only.")),
    413: ("too_large", gettext_lazy("The request is too large.")),
    415: (
        "unsupported_media_type",
        gettext_lazy("Send the body as JSON (Content-Type: application/json)."),
    ),
    429: ("rate_limited", gettext_lazy("Too many requests: wait, then try again.")),
    500: ("server_error", gettext_lazy("Something went wrong on our side: try again later.")),
    503: ("unavailable", gettext_lazy("The service is unavailable for a moment: try again later.")),
}


def status_error_body(status: int) -> dict:
    code, message = STATUS_ERRORS.get(
        status, ("server_error" if status >= 500 else "error", STATUS_ERRORS[status // 100 * 100])
    )
    return error_body(code, message)


def status_error_response(status: int, *, allow: str | None = None) -> JsonResponse:
    """A status's error in the one shape, for answers made outside django-ninja's handlers."""
    if status == 405 and allow:
        message = _("This address does not take this method: use %(allowed)s.") % {"allowed": allow}
        body = error_body("method_not_allowed", message)
    elif status == 413:
        body = error_body("too_large", _too_large_message())
    else:
        body = status_error_body(status)
    response = JsonResponse(
        body,
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
    if allow:
        response["Allow"] = allow
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


def _too_large_message() -> str:
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return _(
        "The request body is too large (at most %(size)s MB); a larger ledger goes as a file "
        "(multipart field “file”)."
    ) % {"size": f"{megabytes:.3g}"}


# Input the schemas refuse, by pydantic's error type: what the caller reads.
def _input_message(error_type: str) -> str:
    messages = {
        "missing": _("This field is required."),
        "json_invalid": _("The body is not valid JSON."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "bool_parsing": _("Enter true or false."),
        "datetime_from_date_parsing": _("Enter a date and time, e.g. 2026-03-01T00:00:00Z."),
        "datetime_parsing": _("Enter a date and time, e.g. 2026-03-01T00:00:00Z."),
        "greater_than_equal": _("This number is too small."),
        "less_than_equal": _("This number is too large."),
        "string_too_long": _("This text is too long."),
    }
    return messages.get(error_type, _("This value is not valid."))


_STRUCTURAL = {"body", "query", "path", "form", "file", "payload", "header", "cookie"}


def _field_of(location) -> str | None:
    names = [str(part) for part in location if str(part) not in _STRUCTURAL]
    return ".".join(names) or None


def validation_error_response(api: NinjaAPI, request, exc: DjangoValidationError):
    """A service's refusal (422): its messages, its code, and the field it names if any."""
    field = None
    if hasattr(exc, "error_dict"):
        field = next((name for name in exc.error_dict if name != "__all__"), None)
        errors = [error for group in exc.error_dict.values() for error in group]
    else:
        errors = exc.error_list
    code = next((error.code for error in errors if error.code), "invalid")
    body = error_body(code, " ".join(exc.messages), field=field)
    return api.create_response(request, body, status=422)


def _security_log(exc: SuspiciousOperation) -> None:
    """Logged where Django's own handler would have logged it."""
    logging.getLogger(f"django.security.{type(exc).__name__}").error(str(exc))


def errors_register(api: NinjaAPI) -> None:
    """Install the handlers that give every error the one shape."""

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        body = error_body(exc.code, exc.message, field=exc.field, row=exc.row)
        response = api.create_response(request, body, status=exc.status)
        if exc.status == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(NinjaValidationError)
    def input_refused(request, exc: NinjaValidationError):
        first = exc.errors[0] if exc.errors else {}
        body = error_body(
            "invalid",
            _input_message(first.get("type", "")),
            field=_field_of(first.get("loc", ())),
        )
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        message = _("Send a valid API token (Authorization: Bearer …) or sign in.")
        response = api.create_response(request, error_body("unauthenticated", message), status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        if getattr(request, "api_token", None) is not None:
            body = error_body(
                "rate_limited", _("Too many requests with this token: wait, then try again.")
            )
        else:
            body = status_error_body(429)
        return api.create_response(request, body, status=429)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body("not_found", _("Not found.")), status=404)

    @api.exception_handler(ObjectDoesNotExist)
    def object_not_found(request, exc):
        return api.create_response(request, error_body("not_found", _("Not found.")), status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        message = str(exc) or _("You are not allowed to do this.")
        return api.create_response(request, error_body("forbidden", message), status=403)

    @api.exception_handler(DjangoValidationError)
    def refused(request, exc):
        return validation_error_response(api, request, exc)

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        _security_log(exc)
        return api.create_response(
            request, error_body("too_large", _too_large_message()), status=413
        )

    @api.exception_handler(SuspiciousOperation)
    def unreadable(request, exc):
        _security_log(exc)
        return api.create_response(request, status_error_body(400), status=400)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        """django-ninja's own refusals: a body it cannot parse, a failed CSRF check."""
        status = exc.status_code
        cause = exc.__cause__
        if isinstance(cause, UnsupportedMediaType):
            status, body = 415, status_error_body(415)
        elif isinstance(cause, RequestDataTooBig):
            status, body = 413, error_body("too_large", _too_large_message())
        elif status == 400 and cause is not None:
            body = error_body("malformed_json", _("The body is not valid JSON."))
        elif status == 403 and str(exc).startswith("CSRF"):
            message = _("The CSRF check failed: send the X-CSRFToken header with the session.")
            body = error_body("csrf_failed", message)
        else:
            body = status_error_body(status)
        return api.create_response(request, body, status=status)
