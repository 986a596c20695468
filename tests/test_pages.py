"""Every page renders for each demo user."""

import pytest
from django.urls import reverse

from accounts.models import Customer
from scoring.models import ScoringRound

pytestmark = pytest.mark.django_db

DEMO_USERS = [("admin", "Admin"), ("manager", "Sales manager"), ("team", "Selection team")]


@pytest.mark.parametrize(("username", "role_label"), DEMO_USERS)
def test_each_page_renders_for_each_demo_user(client, seeded, username, role_label):
    assert client.login(username=username, password="demo")
    customer = Customer.objects.order_by("code").first()
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    pages = {
        reverse("dashboard"): "300",
        reverse("accounts:customer_index") + "?scope=all": customer.name,
        reverse("accounts:customer_detail", args=[customer.pk]): customer.code,
        reverse("scoring:round_index"): scoring_round.name,
        reverse("scoring:round_detail", args=[scoring_round.pk]): "matrix-figure",
        reverse("scoring:factor_set", args=[scoring_round.pk]): "Product quality",
        reverse("scoring:rating_grid", args=[scoring_round.pk]): "Size of business with us",
        reverse("scoring:round_account", args=[scoring_round.pk, customer.pk]): "Our strength",
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert expected in content, url
        assert role_label in content, url


def test_sales_manager_starts_on_own_accounts(client, seeded):
    client.login(username="manager", password="demo")
    response = client.get(reverse("accounts:customer_index"))
    owners = {customer.owner.username for customer in response.context["page"]}
    assert owners == {"manager"}


def test_customer_filter_returns_only_the_table_for_htmx(client, seeded):
    client.login(username="team", password="demo")
    response = client.get(
        reverse("accounts:customer_index"), {"scope": "all", "q": "C0001"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="customer-table"' in content
    assert "C0001" in content
    assert "C0002" not in content


def test_static_files_come_from_our_server(client, seeded):
    client.login(username="team", password="demo")
    content = client.get(reverse("dashboard")).content.decode()
    assert "/static/django_htmx/htmx-2.min.js" in content or "htmx" in content
    assert "cdn" not in content.lower()
    assert "unpkg" not in content.lower()
