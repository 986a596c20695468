"""Fixtures of the API tests: a token per role and a client that sends one."""

import datetime as dt

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke


@pytest.fixture
def token_for(db):
    """`token_for(user, name=..., read_only=...)`: the raw token of a new API token."""

    def make(user, name="ERP nightly", **options):
        _api_token, raw = api_token_create(user=user, name=name, **options)
        return raw

    return make


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def token_make_unusable(api_token: ApiToken, state: str) -> None:
    """Revoke the token (`revoked`) or let it expire a second ago (`expired`)."""
    if state == "revoked":
        api_token_revoke(api_token=api_token)
    else:
        ApiToken.objects.filter(pk=api_token.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files (ledgers, surveys) in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
