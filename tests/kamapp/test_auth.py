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
