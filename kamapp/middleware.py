"""Responses to signed-in users hold account data: no shared or browser cache may keep them."""

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
