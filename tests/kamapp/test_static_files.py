"""Static files through whitenoise: compressed and cached for good in production (hashed,
after collectstatic) and under DEBUG (`make run`, straight from the finders)."""

import gzip
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client

BUNDLE = Path(settings.BASE_DIR, "static", settings.PLOTLY_JS)
TEN_YEARS = "max-age=315360000, public, immutable"


@pytest.fixture
def development(settings):
    """Static serving as `make run` has it (the test settings load with DEBUG on, so the
    middleware list and the immutable-file test are the development ones)."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_MAX_AGE = 0
    assert "kamapp.middleware.StaticGzipMiddleware" in settings.MIDDLEWARE
    return Client()


def test_make_run_serves_the_vendored_bundle_gzipped_and_immutable(development):
    url = f"/static/{settings.PLOTLY_JS}"
    response = development.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == TEN_YEARS
    assert "ETag" not in response  # a weakened ETag would never match again: dates do
    body = gzip.decompress(b"".join(response.streaming_content))
    assert body == BUNDLE.read_bytes()
    assert len(body) < 1_300_000  # the basic bundle, not the full 4.8 MB one
    # Revalidated by date, answered with an empty 304, not a gzipped body.
    again = development.get(
        url, headers={"accept-encoding": "gzip", "if-modified-since": response["Last-Modified"]}
    )
    assert again.status_code == 304
    assert "Content-Encoding" not in again


def test_make_run_keeps_its_own_files_fresh_and_pages_uncompressed(development, admin_user):
    css = development.get("/static/css/app.css", headers={"accept-encoding": "gzip"})
    assert css["Content-Encoding"] == "gzip"
    assert css["Cache-Control"] == "max-age=0, public"  # edited as the developer works
    plain = development.get("/static/css/app.css")
    assert "Content-Encoding" not in plain
    development.force_login(admin_user)
    page = development.get("/", headers={"accept-encoding": "gzip"})
    assert page.status_code == 200
    assert "Content-Encoding" not in page  # pages hold secrets: never compressed (BREACH)


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    del settings.WHITENOISE_IMMUTABLE_FILE_TEST  # production's: hashed names only
    call_command("collectstatic", interactive=False, verbosity=0)
    return Client()


def test_production_serves_hashed_compressed_files_for_good(collected):
    url = staticfiles_storage.url(settings.PLOTLY_JS)
    assert url != f"/static/{settings.PLOTLY_JS}"  # hashed
    response = collected.get(url, headers={"accept-encoding": "gzip, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert response["Cache-Control"] == TEN_YEARS
    body = b"".join(response.streaming_content)
    assert brotli.decompress(body) == BUNDLE.read_bytes()
    assert len(body) < 400_000
    gzipped = collected.get(url, headers={"accept-encoding": "gzip"})
    assert gzipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(gzipped.streaming_content)) == BUNDLE.read_bytes()
    # The unhashed name is still served, but only for a minute.
    plain = collected.get(f"/static/{settings.PLOTLY_JS}")
    assert plain["Cache-Control"] == "max-age=60, public"
