"""Every page carries the Content Security Policy and holds no inline script."""

import re

import pytest
from django.urls import reverse

from accounts.models import Customer
from scoring.models import ScoringRound

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def _pages():
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    customer = Customer.objects.order_by("code").first()
    return [
        reverse("dashboard"),
        reverse("accounts:customer_index"),
        reverse("accounts:customer_detail", args=[customer.pk]),
        reverse("scoring:round_index"),
        reverse("scoring:round_new"),
        reverse("scoring:round_detail", args=[scoring_round.pk]),
        reverse("scoring:factor_set", args=[scoring_round.pk]),
        reverse("scoring:rating_grid", args=[scoring_round.pk]),
        reverse("scoring:round_account", args=[scoring_round.pk, customer.pk]),
    ]


def test_pages_send_a_policy_that_runs_only_our_own_scripts(admin_client, seeded):
    for url in _pages():
        policy = admin_client.get(url)["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", policy).group(1)
        assert "'self'" in script_src, url
        assert "'unsafe-inline'" not in script_src, url
        assert "'unsafe-eval'" not in script_src, url
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy


def test_pages_hold_no_inline_script(admin_client, seeded):
    for url in [*_pages(), reverse("login")]:
        content = admin_client.get(url).content.decode()
        for attributes in SCRIPT_TAG.findall(content):
            # A script either loads our file or is inert JSON data (json_script).
            assert "src=" in attributes or 'type="application/json"' in attributes, (
                url,
                attributes,
            )


def test_htmx_script_carries_the_request_nonce(admin_client, seeded):
    response = admin_client.get(reverse("dashboard"))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in response.content.decode()
