"""Every page but the login page sends an anonymous visitor to sign in."""

import pytest
from django.urls import reverse

from tests.url_walk import SKIPPED_PREFIXES, url_patterns

pytestmark = pytest.mark.django_db

# Pages that must stay reachable without signing in; the admin has its own login.
PUBLIC = {"login", "favicon"}


def app_urls():
    """Every URL of the app with sample values for its parameters."""
    urls = []
    for route, name, pattern in url_patterns():
        if route.startswith(SKIPPED_PREFIXES) or name in PUBLIC:
            continue
        kwargs = {
            name: 1 if converter.__class__.__name__ == "IntConverter" else "x"
            for name, converter in pattern.pattern.converters.items()
        }
        urls.append(reverse(name, kwargs=kwargs))
    return urls


def test_the_walk_finds_the_pages():
    assert {"/", "/customers/", "/rounds/"} <= set(app_urls())


@pytest.mark.parametrize("url", app_urls())
def test_anonymous_visitor_is_sent_to_login(client, url):
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_login_page_is_public(client):
    assert client.get(reverse("login")).status_code == 200


def test_favicon_is_public_and_points_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
