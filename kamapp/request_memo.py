"""Values read once per request: what several parts of one page ask for (the company's
settings, the reader's role) comes from the database once, and is never kept past the
request. Outside a request (a task, a command, a test's own code) nothing is kept."""

from collections.abc import Callable, Hashable
from typing import TypeVar

from asgiref.local import Local
from django.core.signals import request_finished, request_started

T = TypeVar("T")

_current = Local()  # per thread and per async task, as the request that runs there


def request_memo(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per request for a key."""
    values = getattr(_current, "values", None)
    if values is None:
        return compute()
    if key not in values:
        values[key] = compute()
    return values[key]


def request_memo_forget(key: Hashable) -> None:
    """After a write of what the key reads: the request's next read asks the database."""
    values = getattr(_current, "values", None)
    if values is not None:
        values.pop(key, None)


def request_memo_forget_kind(kind: str) -> None:
    """Forget every `(kind, ...)` key: e.g. each user's role after a change of groups."""
    values = getattr(_current, "values", None)
    if values is not None:
        for key in [key for key in values if isinstance(key, tuple) and key[0] == kind]:
            del values[key]


def request_memo_reset(**kwargs) -> None:
    """Keep nothing until the next request begins (a request's end)."""
    _current.values = None


def _request_begin(**kwargs) -> None:
    _current.values = {}


request_started.connect(_request_begin, dispatch_uid="kamapp.request_memo.begin")
request_finished.connect(request_memo_reset, dispatch_uid="kamapp.request_memo.end")
