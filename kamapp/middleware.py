"""Responses to signed-in users hold account data: no shared or browser cache may keep them."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user (pages,
    fragments, exports). Static files are answered by whitenoise before this runs and keep
    their own long-lived headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class StaticGzipMiddleware(GZipMiddleware):
    """Development only (DEBUG, `make run`): gzip the static files whitenoise serves from
    their finders, which have no precompressed copies before collectstatic. Pages are left
    alone (compressing responses that hold secrets invites BREACH), as are 304s and ranges."""

    def process_response(self, request, response):
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if response.status_code != 200 or not request.path_info.startswith(static_prefix):
            return response
        response = super().process_response(request, response)
        if response.get("Content-Encoding") == "gzip":
            # gzip weakens the ETag, which whitenoise would never match again: without
            # one, the browser revalidates by date, which whitenoise answers with a 304.
            del response["ETag"]
        return response
