"""Writes of the API app: tokens (create, revoke, use)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken
from .tokens import PREFIX_SHOWN, token_generate, token_hash

# `last_used_at` is written at most this often per token, not on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def api_token_create(
    *,
    user,
    name: str,
    read_only: bool = False,
    expires_at: dt.datetime | None = None,
    created_by=None,
) -> tuple[ApiToken, str]:
    """A new token for `user`: the record, and the token itself (shown once, never stored)."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    raw = token_generate()
    api_token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=raw[:PREFIX_SHOWN],
        key_hash=token_hash(raw),
        read_only=read_only,
        expires_at=expires_at,
        created_by=created_by,
    )
    api_token.full_clean()
    api_token.save()
    return api_token, raw


def api_token_revoke(*, api_token: ApiToken) -> ApiToken:
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
    return api_token


def api_token_use(*, raw: str) -> ApiToken | None:
    """The usable token a request sent (None: unknown, revoked, expired or its user
    inactive), its last use recorded."""
    api_token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()
    now = timezone.now()
    if api_token is None or not api_token.is_usable(now):
        return None
    if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
    return api_token
