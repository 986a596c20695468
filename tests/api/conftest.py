"""Fixtures of the API tests: a token per role and a client that sends one."""

import pytest

from api.services import api_token_create


@pytest.fixture
def token_for(db):
    """`token_for(user, name=..., read_only=...)`: the raw token of a new API token."""

    def make(user, name="ERP nightly", **options):
        _api_token, raw = api_token_create(user=user, name=name, **options)
        return raw

    return make


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}
