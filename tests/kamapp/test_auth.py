"""Sign-in protection: repeated failures lock a username from an address, with a message."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _sign_in(client, password, username="dewi", address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def dewi(db):
    return UserFactory(username="dewi")


def test_wrong_password_below_the_limit_is_refused_on_the_login_page(client, dewi):
    response = _sign_in(client, "wrong")
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_repeated_failures_lock_the_sign_in_with_a_clear_message(client, dewi, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "wrong")
    response = _sign_in(client, "pw-for-tests-only")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Sign-in temporarily locked" in content
    assert f"after {settings.AXES_FAILURE_LIMIT} failed sign-in attempts" in content
    assert "_auth_user_id" not in client.session


def test_lockout_holds_one_username_from_one_address_only(client, dewi, settings):
    UserFactory(username="ayu")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "wrong")
    assert _sign_in(client, "pw-for-tests-only", address="10.0.0.2").status_code == 302
    client.logout()
    assert _sign_in(client, "pw-for-tests-only", username="ayu").status_code == 302


def test_a_successful_sign_in_resets_the_count(client, dewi, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "wrong")
    assert _sign_in(client, "pw-for-tests-only").status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "wrong")
    assert _sign_in(client, "pw-for-tests-only").status_code == 302


def test_sign_in_without_a_request_still_works(dewi):
    from django.contrib.auth import authenticate

    assert authenticate(username="dewi", password="pw-for-tests-only") == dewi


def test_a_try_while_locked_does_not_restart_the_cool_off(client, dewi, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "wrong")
    almost_over = timezone.now() - settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=almost_over)
    assert _sign_in(client, "wrong").status_code == 429  # still locked
    assert AccessAttempt.objects.get().attempt_time == almost_over  # the clock was not reset
    AccessAttempt.objects.update(attempt_time=almost_over - timedelta(minutes=2))
    assert _sign_in(client, "pw-for-tests-only").status_code == 302


def _sign_in_via_proxy(client, password, *, forwarded_for, username="dewi"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.1",  # the proxy
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_the_lock_uses_the_client_address_the_proxy_reports(client, dewi, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        # A forged left-most address does not help the attacker: the proxy's entry counts.
        _sign_in_via_proxy(client, "wrong", forwarded_for=f"6.6.6.{_attempt}, 203.0.113.9")
    attacker = _sign_in_via_proxy(client, "pw-for-tests-only", forwarded_for="203.0.113.9")
    assert attacker.status_code == 429
    colleague = _sign_in_via_proxy(client, "pw-for-tests-only", forwarded_for="198.51.100.7")
    assert colleague.status_code == 302


def test_without_proxies_forwarded_headers_are_ignored(client, dewi, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in_via_proxy(client, "wrong", forwarded_for=f"6.6.6.{_attempt}")
    assert (
        _sign_in_via_proxy(client, "pw-for-tests-only", forwarded_for="1.1.1.1").status_code == 429
    )


@pytest.mark.parametrize(
    ("count", "forwarded", "address"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: the direct peer
        (1, "", "10.0.0.1"),
    ],
)
def test_client_address_behind_proxies(rf, settings, count, forwarded, address):
    from kamapp.auth import client_address

    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == address
