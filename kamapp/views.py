"""Error pages: a clear message instead of a stack trace, 503 while a service is down."""

import sys

from django.db import DatabaseError
from django.http import HttpResponse
from django.template import loader
from kombu.exceptions import OperationalError as BrokerError

# A service the app needs is down (database, Redis): the request may work again soon.
UNAVAILABLE_ERRORS = (DatabaseError, BrokerError, ConnectionError, TimeoutError)
RETRY_AFTER_SECONDS = 30


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
