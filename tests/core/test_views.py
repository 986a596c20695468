"""The dashboard: counts, rounds waiting for ratings, Pareto tiers and the recompute panel."""

import pytest
from django.urls import reverse

from accounts.services import metrics_recompute
from tests.accounts.ledger import buy

pytestmark = pytest.mark.django_db


def test_dashboard_shows_counts(admin_client, seeded):
    response = admin_client.get(reverse("dashboard"))
    assert response.context["counts"] == {
        "customers": 300,
        "ledger_lines": seeded.ledger_lines,
        "rounds": 2,
    }


def test_empty_dashboard_explains_how_to_start(admin_client):
    response = admin_client.get(reverse("dashboard"))
    assert "No customers yet" in response.content.decode()


def test_dashboard_shows_moves_since_the_last_run(client, team_user, ranked):
    *_, idle = ranked
    buy(idle, 5000)
    metrics_recompute()
    client.force_login(team_user)
    response = client.get(reverse("dashboard"))
    moves = {(m["before"], m["after"]): m["count"] for m in response.context["moves"]}
    assert moves == {("C", "A"): 1, ("A", "B"): 1, ("A", "C"): 1, ("B", "C"): 1}
    assert "Recompute now" not in response.content.decode()


def test_admin_sees_recompute_now_on_the_dashboard(client, admin_user):
    client.force_login(admin_user)
    assert "Recompute now" in client.get(reverse("dashboard")).content.decode()
