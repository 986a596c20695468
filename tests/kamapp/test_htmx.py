"""One htmx idiom: a swap gets the named partial; a boosted link and a history restore get
the full page; pages answer with Vary: HX-Request so no cache serves one for the other."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_htmx.middleware import HtmxMiddleware

from kamapp.htmx import wants_partial

pytestmark = pytest.mark.django_db

SWAP = {"HTTP_HX_REQUEST": "true"}
HISTORY_RESTORE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}


def _htmx_request(**headers):
    request = RequestFactory().get("/", **headers)
    HtmxMiddleware(lambda r: None)(request)
    return request


@pytest.mark.parametrize(
    ("headers", "partial"),
    [
        ({}, False),
        (SWAP, True),
        ({**SWAP, "HTTP_HX_BOOSTED": "true"}, False),
        (HISTORY_RESTORE, False),
    ],
)
def test_only_a_plain_swap_wants_the_partial(headers, partial):
    assert wants_partial(_htmx_request(**headers)) is partial


@pytest.fixture
def pages(rated_round, seeded):
    return [
        reverse("scoring:round_detail", args=[rated_round.round.pk]),
        reverse("accounts:customer_index"),
    ]


@pytest.mark.parametrize("headers", [{}, HISTORY_RESTORE])
def test_a_history_restore_gets_the_full_page(client, team_user, pages, headers):
    client.force_login(team_user)
    for url in pages:
        response = client.get(url, **headers)
        assert response.status_code == 200
        assert b"<html" in response.content, url
        assert "HX-Request" in response["Vary"], url


def test_a_swap_gets_only_the_fragment(client, team_user, pages):
    client.force_login(team_user)
    for url in pages:
        response = client.get(url, **SWAP)
        assert response.status_code == 200
        assert b"<html" not in response.content, url
        assert "HX-Request" in response["Vary"], url
