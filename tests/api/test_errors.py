"""Every error under /api/v1/, whoever makes it (an endpoint, django-ninja or Django), is
answered as {"error": {"code", "message", "field", "row"}} in the caller's language."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field", "row"}
    assert body["error"]["code"] == code
    return body["error"]


def _in_indonesian(msgid: str) -> str:
    with translation.override("id"):
        return translation.gettext(msgid)


def test_a_wrong_method_is_a_405_with_allow(client, token_for, manager_user):
    response = client.delete("/api/v1/customers", headers=bearer(token_for(manager_user)))
    error = _error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    assert error["message"] == "This address does not take this method: use GET."


@pytest.mark.parametrize("signed_in", [False, True])
def test_an_unknown_path_is_a_404_never_the_html_page(client, manager_user, signed_in):
    if signed_in:
        client.force_login(manager_user)
    response = client.get("/api/v1/no/such/thing", headers={"Accept-Language": "id"})
    assert _error(response, 404, "not_found")["message"] == "Tidak ditemukan."


def test_no_credentials_is_a_401_in_indonesian(client):
    response = client.get("/api/v1/customers", headers={"Accept-Language": "id"})
    error = _error(response, 401, "unauthenticated")
    assert error["message"] == "Kirim token API yang sah (Authorization: Bearer …) atau masuk."
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_role_without_the_permission_is_a_403_in_indonesian(client, token_for):
    from tests.factories import UserFactory

    raw = token_for(UserFactory(username="no-role"))
    response = client.get("/api/v1/customers", headers={**bearer(raw), "Accept-Language": "id"})
    assert _error(response, 403, "forbidden")["message"] == _in_indonesian(
        "Your role does not allow this."
    )


def test_a_session_write_without_csrf_is_a_403(manager_user, small_round):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager_user)
    url = reverse("api:rating_record", args=[small_round.round.pk])
    response = client.post(url, "{}", content_type="application/json")
    error = _error(response, 403, "csrf_failed")
    assert "X-CSRFToken" in error["message"]


def test_malformed_json_is_a_400_in_the_callers_language(
    client, token_for, manager_user, small_round
):
    url = reverse("api:rating_record", args=[small_round.round.pk])
    headers = {**bearer(token_for(manager_user)), "Accept-Language": "id"}
    response = client.post(url, '{"customer": ', content_type="application/json", headers=headers)
    assert (
        _error(response, 400, "malformed_json")["message"] == "Isi permintaan bukan JSON yang sah."
    )


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_json_is_a_415(
    client, token_for, manager_user, small_round, content_type
):
    url = reverse("api:rating_record", args=[small_round.round.pk])
    body = '{"customer": "M1", "factor": 1, "value": "7"}'
    response = client.post(
        url, body, content_type=content_type, headers=bearer(token_for(manager_user))
    )
    error = _error(response, 415, "unsupported_media_type")
    assert error["message"] == "Send the body as JSON (Content-Type: application/json)."


def test_a_ledger_in_an_unknown_content_type_is_a_415(client, token_for, admin_user):
    response = client.post(
        reverse("api:ledger_import_list"),
        "customer,amount\nC1,10\n",
        content_type="text/csv",
        headers=bearer(token_for(admin_user)),
    )
    assert "application/x-ndjson" in _error(response, 415, "unsupported_media_type")["message"]


def test_a_body_over_the_limit_is_a_413(client, token_for, admin_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = '{"customer": "C1", "amount": 1}\n' * 40_000  # 1.3 MB
    response = client.post(
        reverse("api:ledger_import_list"),
        body,
        content_type="application/x-ndjson",
        headers={**bearer(token_for(admin_user)), "Accept-Language": "en"},
    )
    error = _error(response, 413, "too_large")
    assert error["message"].startswith("The request body is too large (at most 1 MB)")


def test_a_server_error_is_a_500_in_the_shape(client, token_for, manager_user, monkeypatch):
    from api import selectors

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "rounds_all", broken)
    client.raise_request_exception = False
    response = client.get(reverse("api:round_list"), headers=bearer(token_for(manager_user)))
    assert "boom" not in _error(response, 500, "server_error")["message"]


def test_sessions_are_rate_limited_too(client, team_user, settings):
    from django.core.cache import cache

    cache.clear()  # a user of an earlier test may have had the same id
    settings.API_RATE_LIMIT = "2/min"
    client.force_login(team_user)
    statuses = [client.get("/api/v1/me").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = client.get("/api/v1/me", headers={"Accept-Language": "en"})
    error = _error(limited, 429, "rate_limited")
    assert error["message"] == "Too many requests: wait, then try again."
    assert 1 <= int(limited["Retry-After"]) <= 60
