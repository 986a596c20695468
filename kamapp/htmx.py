"""The one htmx idiom: a page, or its named partial when htmx swaps part of it."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_partial(request) -> bool:
    """An htmx request that swaps part of the page. Not a boosted link (it wants the page),
    and not a history restore: after a cache miss htmx puts the answer in place of the
    whole body, so it must get the full page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_partial(request, template: str, partial: str, context: dict, status=200):
    """Render the page, or only `template#partial` for an htmx swap. The answer varies on
    HX-Request, so a browser or proxy cache never serves the fragment as the page (pages
    with hx-push-url are revisited through the history)."""
    name = f"{template}#{partial}" if wants_partial(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
