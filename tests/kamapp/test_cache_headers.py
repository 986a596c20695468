"""Signed-in pages and exports are never stored by a browser or a shared cache."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboard"),
        reverse("accounts:customer_index"),
        reverse("accounts:customer_export") + "?format=csv",
        reverse("accounts:pareto"),
        reverse("scoring:round_index"),
    ],
)
def test_signed_in_pages_and_exports_are_private_and_not_stored(client, admin_user, url):
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)
