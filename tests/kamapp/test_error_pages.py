"""403 and 404 pages: the app's layout, the service's own reason in the reader's language,
and the ways back; to htmx, the reason alone as text."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.middleware import SESSION_KEY
from scoring.models import ScoringRound
from tests.fixtures.rounds import stage_set

pytestmark = pytest.mark.django_db

REVEALED = "Ratings are revealed when the round reaches the meeting."


@pytest.fixture
def browser(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def _sign_in(client, user, language="en"):
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = language
    session.save()


def _meeting_url(r):
    return reverse("scoring:round_meeting", args=[r.round.pk])


def test_a_refusal_says_the_services_reason_in_the_apps_layout(browser, small_round, team_user):
    stage_set(small_round, ScoringRound.Status.SCORING)
    _sign_in(browser, team_user)
    response = browser.get(_meeting_url(small_round))
    assert response.status_code == 403
    page = response.content.decode()
    assert REVEALED in page
    assert 'class="topbar"' in page and 'rel="icon"' in page  # base.html's layout
    assert f'href="{reverse("dashboard")}"' in page
    assert "Back to the dashboard" in page


def test_the_reason_is_in_the_readers_language(browser, small_round, team_user):
    stage_set(small_round, ScoringRound.Status.SCORING)
    _sign_in(browser, team_user, "id")
    page = browser.get(_meeting_url(small_round)).content.decode()
    assert "Penilaian dibuka ketika putaran mencapai tahap rapat." in page
    assert REVEALED not in page and "Back to the dashboard" not in page
    assert "Kembali ke dasbor" in page


def test_a_bare_refusal_says_the_role_cannot_and_names_the_role(browser, manager_user):
    _sign_in(browser, manager_user)
    response = browser.get(reverse("scoring:round_new"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role does not give access to this page or action." in page
    assert "You are signed in as Sales manager." in page
    assert "PermissionDenied" not in page


def test_the_previous_page_is_offered_only_when_it_is_ours(browser, manager_user):
    _sign_in(browser, manager_user)
    url = reverse("scoring:round_new")
    ours = browser.get(url, HTTP_REFERER="http://testserver/rounds/").content.decode()
    assert 'href="http://testserver/rounds/" data-back' in ours
    foreign = browser.get(url, HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in foreign and "data-back" not in foreign


def test_htmx_gets_the_reason_alone_as_text(browser, small_round, team_user):
    stage_set(small_round, ScoringRound.Status.SCORING)
    _sign_in(browser, team_user, "id")
    response = browser.get(_meeting_url(small_round), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "Penilaian dibuka ketika putaran mencapai tahap rapat."


def test_an_unknown_address_gets_a_404_in_the_layout(browser, manager_user):
    _sign_in(browser, manager_user)
    response = browser.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and 'class="topbar"' in page
    assert "There is nothing at this address." in page
    assert "Back to the dashboard" in page


def test_a_missing_object_does_not_show_djangos_english_message(browser, manager_user):
    _sign_in(browser, manager_user, "id")
    response = browser.get(reverse("scoring:round_detail", args=[999_999]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "matches the given query" not in page and "Http404" not in page
    assert "Halaman tidak ditemukan" in page


def test_a_services_not_found_reason_is_shown(browser, admin_user, small_round):
    """`Http404(_("There is no such decided round to compare with."))` from the review."""
    stage_set(small_round, ScoringRound.Status.DECIDED)
    _sign_in(browser, admin_user)
    url = reverse("scoring:round_review", args=[small_round.round.pk])
    response = browser.get(url, {"compare": "999999"})
    assert response.status_code == 404
    assert "There is no such decided round to compare with." in response.content.decode()
