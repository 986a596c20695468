"""Writes through the API: the grid's rules and messages, the token's name in the audit
trail, the competitor flag and a session's CSRF check."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from accounts.models import Customer
from scoring.models import Consensus, Rating, ScoringRound
from tests.api.conftest import bearer
from tests.fixtures.rounds import stage_set

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def _post(client, url, body, raw, **headers):
    return client.post(
        url, body, content_type="application/json", headers={**bearer(raw), **headers}
    )


def _rating_url(r):
    return reverse("api:rating_record", args=[r.round.pk])


def test_a_rating_is_stored_through_the_rating_service(client, token_for, small_round):
    r = small_round
    response = _post(
        client,
        _rating_url(r),
        {"customer": "M1", "factor": r.a1.pk, "value": "7,5"},
        token_for(r.rater),
    )
    assert response.status_code == 200, response.content
    assert response.json()["value"] == "7.50"
    rating = Rating.objects.get()
    assert (rating.customer, rating.factor, rating.rater, rating.value) == (
        r.mine,
        r.a1,
        r.rater,
        7.5,
    )


def test_a_competitor_rating_names_the_competitor(client, token_for, small_round):
    r = small_round
    body = {"customer": "M1", "factor": r.s1.pk, "competitor": "Rival", "value": 4}
    assert _post(client, _rating_url(r), body, token_for(r.rater)).status_code == 200
    assert Rating.objects.get().competitor == r.competitor


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("11", "out_of_range", "11 is out of range: ratings run from 0 to 10."),
        ("7.123", "decimals", "7.123 has more than 2 decimals: type at most 2, e.g. 7.25."),
        ("seven", "invalid", "“seven” is not a number. Type a rating from 0 to 10, e.g. 7.5."),
    ],
)
def test_a_refused_rating_is_422_with_the_grids_message(
    client, token_for, small_round, value, code, message
):
    r = small_round
    body = {"customer": "M1", "factor": r.a1.pk, "value": value}
    response = _post(client, _rating_url(r), body, token_for(r.rater))
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": code,
        "message": message,
        "field": None,
        "row": None,
    }
    assert not Rating.objects.exists()


def test_the_refusal_comes_in_the_callers_language(client, token_for, small_round):
    r = small_round
    body = {"customer": "M1", "factor": r.a1.pk, "value": "11"}
    response = _post(client, _rating_url(r), body, token_for(r.rater), **{"Accept-Language": "id"})
    assert response.status_code == 422
    assert "ratings run from" not in response.json()["error"]["message"]


def test_a_manager_cannot_rate_another_managers_account(client, token_for, small_round):
    r = small_round
    body = {"customer": "O1", "factor": r.a1.pk, "value": "3"}
    response = _post(client, _rating_url(r), body, token_for(r.rater))
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "You can only rate the accounts you own."
    assert not Rating.objects.exists()


def test_a_missing_field_names_it(client, token_for, small_round):
    r = small_round
    response = _post(client, _rating_url(r), {"factor": r.a1.pk}, token_for(r.rater))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "customer"
    assert response.json()["error"]["message"] == "This field is required."


def test_an_unknown_factor_is_404(client, token_for, small_round):
    r = small_round
    body = {"customer": "M1", "factor": 999999, "value": "3"}
    assert _post(client, _rating_url(r), body, token_for(r.rater)).status_code == 404


def test_a_write_is_in_the_audit_trail_with_the_tokens_name(client, token_for, small_round):
    r = small_round
    raw = token_for(r.rater, name="Field tablet")
    _post(client, _rating_url(r), {"customer": "M1", "factor": r.a1.pk, "value": "6"}, raw)
    entry = LogEntry.objects.get_for_object(Rating.objects.get()).get()
    assert entry.actor == r.rater
    assert entry.additional_data["api_token"] == "Field tablet"
    assert entry.additional_data["round"] == r.round.pk  # the model's own data is kept


def test_a_page_write_carries_no_token_name(client, small_round):
    r = small_round
    client.force_login(r.rater)
    client.post(
        reverse("scoring:rating_save", args=[r.round.pk]),
        {"customer": r.mine.pk, "factor": r.a1.pk, "value": "6"},
    )
    entry = LogEntry.objects.get_for_object(Rating.objects.get()).get()
    assert "api_token" not in entry.additional_data


def test_consensus_is_for_the_coordinator_in_the_meeting(client, token_for, team_round):
    r = team_round
    url = reverse("api:consensus_record", args=[r.round.pk])
    body = {"customer": "M1", "factor": r.a1.pk, "value": "8"}
    raw = token_for(r.coordinator)
    response = _post(client, url, body, raw)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "not_meeting"
    stage_set(r, ScoringRound.Status.MEETING)
    assert _post(client, url, body, token_for(r.member)).status_code == 403
    assert _post(client, url, body, raw).status_code == 200
    assert Consensus.objects.get().value == 8


def test_a_manager_flags_their_own_account_as_targeted(client, token_for, small_round):
    r = small_round
    raw = token_for(r.rater)
    mine = reverse("api:customer_competitor_flag", args=["M1"])
    response = _post(client, mine, {"targeted": True}, raw)
    assert response.json() == {"customer": "M1", "targeted": True}
    assert Customer.objects.get(code="M1").competitor_targeted is True
    other = reverse("api:customer_competitor_flag", args=["O1"])
    assert _post(client, other, {"targeted": True}, raw).status_code == 403
    assert Customer.objects.get(code="O1").competitor_targeted is False
    entry = LogEntry.objects.get_for_object(r.mine).latest("timestamp")
    assert entry.additional_data["api_token"] == "ERP nightly"


def test_a_session_write_needs_the_csrf_token(team_user, small_round):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(team_user)
    url = reverse("api:rating_record", args=[small_round.round.pk])
    body = {"customer": small_round.mine.code, "factor": small_round.a1.pk, "value": "7"}
    refused = browser.post(url, body, content_type="application/json")
    assert refused.status_code == 403  # no CSRF token: refused before anything is stored
    assert "error" in refused.json() and not Rating.objects.exists()
    browser.get("/api/v1/docs")  # any page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    allowed = browser.post(
        url, body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert allowed.status_code == 200, allowed.content


def test_a_read_only_token_may_read_but_not_write(client, token_for, team_user, small_round):
    raw = token_for(team_user, read_only=True)
    assert client.get(ME, headers=bearer(raw)).status_code == 200
    url = reverse("api:rating_record", args=[small_round.round.pk])
    body = {"customer": small_round.mine.code, "factor": small_round.a1.pk, "value": "7"}
    response = client.post(url, body, content_type="application/json", headers=bearer(raw))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only"


def test_a_manager_logs_a_contact_with_the_pages_rules(client, token_for, small_round):
    import datetime

    from django.utils import timezone

    from planning.models import Contact, ContactLogEntry

    r = small_round
    raw = token_for(r.rater)
    dewi = Contact.objects.create(customer=r.mine, name="Dewi", buying_role="decision_maker")
    elsewhere = Contact.objects.create(customer=r.other, name="Budi", buying_role="user")
    url = reverse("api:contact_log_record", args=["M1"])
    body = {"contact": dewi.pk, "channel": "visit", "touch_point": "post_purchase", "note": "QBR"}
    response = _post(client, url, body, raw)
    assert response.status_code == 200, response.content
    today = timezone.localdate()
    assert response.json() | {"id": 0} == {
        "id": 0,
        "customer": "M1",
        "contact": dewi.pk,
        "date": today.isoformat(),
        "channel": "visit",
        "touch_point": "post_purchase",
        "note": "QBR",
    }
    entry = ContactLogEntry.objects.get()
    assert (entry.customer, entry.contact, entry.logged_by) == (r.mine, dewi, r.rater)
    assert LogEntry.objects.get_for_object(entry).get().additional_data["api_token"] == (
        "ERP nightly"
    )
    # Someone else's account, another account's person, a date to come, an unknown channel.
    other = reverse("api:contact_log_record", args=["O1"])
    assert _post(client, other, {**body, "contact": elsewhere.pk}, raw).status_code == 403
    wrong = _post(client, url, {**body, "contact": elsewhere.pk}, raw)
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "contact"
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    future = _post(client, url, {**body, "date": tomorrow}, raw)
    assert future.status_code == 422 and future.json()["error"]["field"] == "date"
    assert _post(client, url, {**body, "channel": "pigeon"}, raw).status_code == 422
    assert ContactLogEntry.objects.count() == 1
