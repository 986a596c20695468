"""Production started without `collectstatic`: pages fail, but the error page still renders."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_manifest(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path  # no staticfiles.json: collectstatic never ran
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }


def test_the_500_page_renders_without_the_static_manifest(admin_user, without_manifest):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content
    assert "/static/css/app.css" in content  # the unhashed URL, since no manifest has it
    assert 'href="/static/favicon.svg"' in content
    assert 'class="topbar"' in content and "Back to the dashboard" in content


def test_the_favicon_redirect_works_without_the_static_manifest(without_manifest):
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
