"""The API's URLs, mounted at /api/v1/ by kamapp.urls (namespace `api`)."""

from django.shortcuts import redirect
from django.urls import path

from .views import api

patterns, _app_name, _namespace = api.urls


def api_root(request):
    """The bare /api/v1/ leads to the browsable docs."""
    return redirect("api:openapi-view")


# django-ninja's own root answers a 404 page in production: ours leads to the docs.
urlpatterns = [pattern for pattern in patterns if pattern.name != "api-root"]
urlpatterns.append(path("", api_root, name="api-root"))
for pattern in urlpatterns:
    # The API answers an unauthenticated call with 401 JSON itself, never the sign-in page.
    pattern.callback.login_required = False
