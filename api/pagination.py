"""Cursor pagination on an integer key (keyset): a page is the rows after the last one
seen, so rows inserted meanwhile never shift a page nor repeat or skip a row."""

import base64
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .errors import ApiError

_VERSION = "k1"


def cursor_encode(position: int) -> str:
    return base64.urlsafe_b64encode(f"{_VERSION}:{position}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> int:
    """The position a cursor holds; ApiError 422 for anything not made by `cursor_encode`."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, _sep, position = text.partition(":")
        if version != _VERSION or not position.isascii() or not position.lstrip("-").isdigit():
            raise ValueError(text)
        return int(position)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(
            422, "invalid_cursor", _("This cursor is not one the API gave."), field="cursor"
        ) from exc


@dataclass
class Page:
    items: list
    next_cursor: str | None


def page_limit(limit: int | None) -> int:
    if limit is None:
        return settings.API_PAGE_SIZE
    return max(1, min(limit, settings.API_PAGE_SIZE_MAX))


def keyset_page(
    queryset: QuerySet,
    *,
    cursor: str | None,
    limit: int | None,
    key: str = "pk",
    descending: bool = False,
) -> Page:
    """One page of `queryset` in order of `key` (a unique integer column), after `cursor`."""
    size = page_limit(limit)
    if cursor:
        position = cursor_decode(cursor)
        queryset = queryset.filter(**{f"{key}__{'lt' if descending else 'gt'}": position})
    rows = list(queryset.order_by(f"-{key}" if descending else key)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    last = _key_value(rows[-1], key) if rows else None
    return Page(items=rows, next_cursor=cursor_encode(last) if more else None)


def _key_value(row, key: str) -> int:
    value = row
    for part in key.split("__"):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return int(value)


def next_url(request, next_cursor: str | None) -> str | None:
    """The request's own URL with the next page's cursor, or None on the last page."""
    if next_cursor is None:
        return None
    query = {key: value for key, value in request.GET.items() if key != "cursor"}
    query["cursor"] = next_cursor
    return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
