"""The coverage pages: the boxes' settings (admins) and one account's coverage."""

import pytest
from django.urls import reverse

from planning.models import AccountCoverage, BoxCoverage
from tests.factories import CustomerFactory, UserFactory
from tests.planning.coverage import decide

pytestmark = pytest.mark.django_db


def _settings_body(**changes) -> dict:
    body = {}
    for row in BoxCoverage.objects.all():
        for name in ("mode", "cadence_days", "budget_person_days", "norm_person_days"):
            body[f"{row.box}-{name}"] = str(getattr(row, name))
    return {**body, **changes}


def test_the_settings_page_shows_each_boxs_defaults(admin_client):
    page = admin_client.get(reverse("planning:coverage_settings")).content.decode()
    assert 'name="key-cadence_days" value="14"' in page
    assert 'name="opportunistic-cadence_days" value="180"' in page


def test_an_admin_changes_the_key_cadence(admin_client):
    response = admin_client.post(
        reverse("planning:coverage_settings"), _settings_body(**{"key-cadence_days": "7"})
    )
    assert response.status_code == 302
    assert BoxCoverage.objects.get(box="key").cadence_days == 7


def test_each_wrong_field_gets_its_own_message_and_nothing_is_saved(admin_client):
    response = admin_client.post(
        reverse("planning:coverage_settings"),
        _settings_body(
            **{
                "key-cadence_days": "7",
                "maintenance-cadence_days": "400",
                "opportunistic-budget_person_days": "-1",
                "key_development-norm_person_days": "1e3",
                "key_development-mode": "",
            }
        ),
    )
    assert response.status_code == 422
    forms = response.context["forms"]
    assert forms["maintenance"].errors == {
        "cadence_days": ["Ensure this value is less than or equal to 366."]
    }
    assert forms["opportunistic"].errors == {
        "budget_person_days": ["Ensure this value is greater than or equal to 0."]
    }
    assert set(forms["key_development"].errors) == {"norm_person_days", "mode"}
    assert forms["key"].errors == {}
    assert BoxCoverage.objects.get(box="key").cadence_days == 14


def test_an_owner_overrides_their_accounts_cadence_with_a_reason(client, manager_user):
    mine = CustomerFactory(owner=manager_user)
    decide({mine: "key"})
    client.force_login(manager_user)
    url = reverse("planning:account_coverage", args=[mine.pk])
    refused = client.post(url, {"cadence_days": "7", "reason": "", "person_days": "12"})
    assert refused.status_code == 422
    assert refused.context["form"].errors == {
        "reason": ["Say why this account is covered differently from its box."]
    }
    saved = client.post(
        url, {"mode": "", "cadence_days": "7", "reason": "Tender in May", "person_days": "12"}
    )
    assert saved.status_code == 302
    page = client.get(url).content.decode()
    assert "Tender in May" in page
    assert AccountCoverage.objects.get(customer=mine).cadence_days == 7
    assert "(its own)" in page


def test_a_sales_manager_reads_but_cannot_change_another_owners_account(client, manager_user):
    theirs = CustomerFactory(owner=UserFactory())
    client.force_login(manager_user)
    url = reverse("planning:account_coverage", args=[theirs.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="reason"' not in page.content.decode()
    assert "in no box of the latest decided round" in page.content.decode()
    assert client.post(url, {"person_days": "3"}).status_code == 403
    assert not AccountCoverage.objects.exists()
