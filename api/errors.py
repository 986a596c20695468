"""Every API error in one JSON shape, in the caller's language:
`{"error": {"code", "message", "field", "row"}}`."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
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
        message = _("Too many requests with this token: wait, then try again.")
        return api.create_response(request, error_body("rate_limited", message), status=429)

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

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return api.create_response(request, error_body("error", str(exc)), status=exc.status_code)
