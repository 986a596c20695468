"""Writes made with an API token: their audit entries name the token (and its user)."""

from contextlib import contextmanager
from contextvars import ContextVar

_current_token: ContextVar = ContextVar("api_token", default=None)


def audit_token_set(api_token) -> None:
    """The token the rest of this request acts with (reset by `audit_token_scope`)."""
    _current_token.set(api_token)


@contextmanager
def audit_token_scope():
    """One request's scope: no token is left behind for the next request on the thread."""
    reset = _current_token.set(None)
    try:
        yield
    finally:
        _current_token.reset(reset)


def audit_entry_mark_token(sender, instance, **kwargs) -> None:
    """pre_save of auditlog's LogEntry: the token's user as actor, its name in the entry."""
    api_token = _current_token.get()
    if api_token is None:
        return
    if instance.actor_id is None:
        instance.actor = api_token.user
        instance.actor_email = api_token.user.email or None
    instance.additional_data = {
        **(instance.additional_data or {}),
        "api_token": api_token.name,
        "api_token_id": api_token.pk,
    }
