"""Tags for the error pages, which must render even when the static files are not set up."""

from django import template
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

register = template.Library()


@register.simple_tag
def static_or_plain(path: str) -> str:
    """The static URL of `path`; its unhashed URL when the manifest lacks it (production
    started without `collectstatic`), so the error page still renders and says so."""
    try:
        return staticfiles_storage.url(path)
    except ValueError:
        return f"{settings.STATIC_URL}{path}"
