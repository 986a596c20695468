"""Error pages: a clear message and no stack trace; 503 while the database is down, and
the pages come back by themselves when it returns."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(settings, team_user):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(team_user)
    return client


def _database_down():
    return mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=OperationalError("could not connect to server: Connection refused"),
    )


def test_database_down_shows_a_clear_503_and_recovers(browser):
    with _database_down():
        response = browser.get(reverse("dashboard"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    content = response.content.decode()
    assert "Temporarily unavailable" in content
    assert "Traceback" not in content and "Connection refused" not in content
    assert browser.get(reverse("dashboard")).status_code == 200


def test_htmx_request_with_the_database_down_gets_503(browser, small_round):
    url = reverse("scoring:rating_save", args=[small_round.round.pk])
    with _database_down():
        response = browser.post(url, {"value": "5"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 503


def test_other_errors_show_a_clear_500_without_details(browser):
    with mock.patch("core.views.ledger_counts", side_effect=ValueError("secret detail")):
        response = browser.get(reverse("dashboard"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content
    assert "secret detail" not in content and "Traceback" not in content


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="A real lost connection needs a server; SQLite is a file in the same process.",
)
def test_lost_postgresql_connection_shows_503_then_recovers(transactional_db, settings, team_user):
    settings.DEBUG = False
    browser = Client(raise_request_exception=False)
    browser.force_login(team_user)
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there
    try:
        response = browser.get(reverse("dashboard"))
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port
    assert response.status_code == 503
    assert browser.get(reverse("dashboard")).status_code == 200
