"""Tokens and sessions: who may call, with what powers, how often, in which shape errors come."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create
from api.tokens import token_hash
from tests.api.conftest import bearer, token_make_unusable

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def test_a_token_acts_as_its_user_with_their_role(client, token_for, manager_user):
    response = client.get(ME, headers=bearer(token_for(manager_user)))
    assert response.status_code == 200
    assert response.json() == {
        "username": "manager-t",
        "role": "sales_manager",
        "token": "ERP nightly",
        "read_only": False,
    }


def test_only_the_hash_of_a_token_is_stored(token_for, manager_user):
    raw = token_for(manager_user)
    stored = ApiToken.objects.get()
    assert raw not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.key_hash == token_hash(raw)
    assert raw.startswith(stored.prefix) and len(stored.prefix) < len(raw)


def test_last_use_is_recorded(client, token_for, manager_user):
    raw = token_for(manager_user)
    assert ApiToken.objects.get().last_used_at is None
    client.get(ME, headers=bearer(raw))
    used = ApiToken.objects.get().last_used_at
    assert used is not None and timezone.now() - used < dt.timedelta(seconds=5)


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired", "inactive user"])
def test_an_unusable_token_is_refused_with_401(client, manager_user, state):
    api_token, raw = api_token_create(user=manager_user, name="CRM")
    if state == "unknown":
        raw = raw[:-2] + "xx"
    elif state in ("revoked", "expired"):
        token_make_unusable(api_token, state)
    else:
        manager_user.is_active = False
        manager_user.save()
    response = client.get(ME, headers=bearer(raw))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "token_invalid"


def test_an_expiry_in_the_past_is_refused(manager_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_create(
            user=manager_user, name="x", expires_at=timezone.now() - dt.timedelta(days=1)
        )


def test_without_credentials_the_api_answers_401_json_not_the_sign_in_page(client):
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "unauthenticated",
            "message": "Send a valid API token (Authorization: Bearer …) or sign in.",
            "field": None,
            "row": None,
        }
    }


def test_errors_follow_accept_language(client):
    response = client.get(ME, headers={"Accept-Language": "id"})
    assert response.status_code == 401
    message = response.json()["error"]["message"]
    assert "token" in message and "Send" not in message


def test_a_session_works_for_reads(client, team_user):
    client.force_login(team_user)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["token"] is None and response.json()["role"] == "selection_team"


def test_each_token_has_its_own_rate_limit(client, token_for, manager_user, settings):
    settings.API_RATE_LIMIT = "3/min"
    first, second = token_for(manager_user, name="one"), token_for(manager_user, name="two")
    statuses = [client.get(ME, headers=bearer(first)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(ME, headers=bearer(first))
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert client.get(ME, headers=bearer(second)).status_code == 200


def test_the_openapi_description_lists_the_endpoints_and_both_schemes(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    description = response.json()
    assert description["info"]["version"] == "1"
    assert "/api/v1/me" in description["paths"]
    schemes = description["components"]["securitySchemes"]
    assert schemes["TokenAuth"]["scheme"] == "bearer"
    assert "session" in schemes or "SessionCsrfAuth" in schemes


def test_the_docs_page_loads_only_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(source.endswith("swagger-ui-bundle.js") for source in sources)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    assert "cdn" not in html.lower()


def test_the_openapi_description_documents_the_error_shape_and_the_filters(client):
    description = client.get("/api/v1/openapi.json").json()
    error = description["components"]["schemas"]["ErrorOut"]
    assert error["properties"]["error"]["$ref"].endswith("/ErrorDetail")
    detail = description["components"]["schemas"]["ErrorDetail"]["properties"]
    assert set(detail) == {"code", "message", "field", "row"}
    ratings = description["paths"]["/api/v1/rounds/{pk}/ratings"]["post"]["responses"]
    for status in ("400", "401", "403", "404", "405", "413", "415", "422", "429"):
        schema = ratings[status]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith("/ErrorOut"), status

    def parameters(path):
        return {p["name"] for p in description["paths"][path]["get"]["parameters"]}

    assert {"segment", "owner", "tier", "box"} <= parameters("/api/v1/rounds/{pk}/matrix")
    customer_filters = {"segment", "owner", "tier", "stage", "box", "changed_since"}
    assert customer_filters <= parameters("/api/v1/customers")
    assert {"round", "customer", "choice", "changed_since"} <= parameters("/api/v1/decisions")


def _operations(client) -> list[tuple[str, str]]:
    """(method, path with every parameter filled) of each endpoint in the description."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return [
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for path, operations in paths.items()
        for method in operations
    ]


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_every_endpoint_refuses_a_revoked_or_expired_token(client, team_user, state):
    api_token, raw = api_token_create(user=team_user, name="CRM")
    token_make_unusable(api_token, state)
    operations = _operations(client)
    assert len(operations) >= 12
    for method, path in operations:
        response = getattr(client, method)(path, headers=bearer(raw))
        assert response.status_code == 401, (method, path)
        assert response.json()["error"]["code"] == "token_invalid", (method, path)


def test_every_write_refuses_a_read_only_token(client, token_for, admin_user):
    raw = token_for(admin_user, read_only=True)
    writes = [(m, p) for m, p in _operations(client) if m not in ("get", "head", "options")]
    assert len(writes) >= 4
    for method, path in writes:
        response = getattr(client, method)(
            path, "{}", content_type="application/json", headers=bearer(raw)
        )
        assert response.status_code == 403, (method, path)
        assert response.json()["error"]["code"] == "read_only", (method, path)
