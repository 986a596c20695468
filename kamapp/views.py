"""Error pages: a clear message instead of a stack trace, 503 while a service is down; the
favicon."""

import re
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from kombu.exceptions import OperationalError as BrokerError

from .htmx import wants_partial
from .templatetags.error_pages import static_or_plain

# A service the app needs is down (database, Redis): the request may work again soon.
UNAVAILABLE_ERRORS = (DatabaseError, BrokerError, ConnectionError, TimeoutError)
RETRY_AFTER_SECONDS = 30
# Django's own 404 messages name a model in English ("No Customer matches the given
# query."): the page says why in the reader's language instead.
_DJANGO_NOT_FOUND = re.compile(r"^No .+ matches the given query\.$")


def _reason(exception) -> str:
    """The service's own message for the refusal (already in the reader's language), or ""
    when it gave none (a bare PermissionDenied, a URL that matches nothing)."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(message, str) or _DJANGO_NOT_FOUND.match(message):
        return ""
    return message


def _back_url(request) -> str:
    """The page the user came from, when it is one of ours (and not this one)."""
    referer = request.META.get("HTTP_REFERER", "")
    ours = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if ours and referer != request.build_absolute_uri() else ""


def _error_page(request, template: str, status: int, message: str):
    """The page in the app's layout with the message and the ways back; for an htmx swap
    only the message, as text, which the page says in its alert (static/js/app.js)."""
    if wants_partial(request):
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
        patch_vary_headers(response, ["HX-Request"])
        return response
    context = {"message": message, "back_url": _back_url(request)}
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def permission_denied(request, exception=None):
    """Django's handler403: the app's layout, why it was refused, and a way back."""
    message = _reason(exception) or _("Your role does not give access to this page or action.")
    return _error_page(request, "403.html", 403, message)


def page_not_found(request, exception=None):
    """Django's handler404, in the app's layout."""
    message = _reason(exception) or _(
        "There is nothing at this address. It may have been removed, or the link is wrong."
    )
    return _error_page(request, "404.html", 404, message)


def server_error(request):
    """Django's handler500, called while the exception is being handled.

    Renders without the request context: context processors and the signed-in user need
    the database, which may be what failed.
    """
    _type, error, _traceback = sys.exc_info()
    if isinstance(error, UNAVAILABLE_ERRORS):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    try:
        page = loader.render_to_string("500.html")
    except Exception:  # the error page itself failed: a plain page still says something
        page = "Something went wrong on our side. It has been logged; please try again."
    return HttpResponse(page, status=500)


@require_GET
@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG icon."""
    response = HttpResponseRedirect(static_or_plain("favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
