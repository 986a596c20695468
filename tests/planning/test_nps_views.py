"""The NPS pages: the account's NPS over time and the accounts with their latest NPS."""

import datetime as dt

import pytest
from django.urls import reverse

from planning.models import NpsAnswer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _answers(customer, day, scores):
    NpsAnswer.objects.bulk_create(
        NpsAnswer(customer=customer, respondent=f"r{i}", answered_on=day, score=score)
        for i, score in enumerate(scores)
    )


@pytest.fixture
def accounts(db):
    risky = CustomerFactory(code="R1", name="Risky")
    _answers(risky, dt.date(2026, 5, 2), [0, 3, 6, 7, 9])  # 1 − 3 of 5 = −40
    small = CustomerFactory(code="S1", name="Small sample")
    _answers(small, dt.date(2026, 5, 2), [0, 0, 0, 0])  # four answers
    return risky, small


def test_the_account_page_shows_the_score_and_the_risk(client, manager_user, accounts):
    client.force_login(manager_user)
    page = client.get(reverse("planning:nps_account", args=[accounts[0].pk])).content.decode()
    assert '<strong class="nps-score">-40</strong>' in page
    assert 'id="nps-risk"' in page
    assert 'id="nps-figure"' in page


def test_too_few_answers_show_no_score(client, manager_user, accounts):
    client.force_login(manager_user)
    page = client.get(reverse("planning:nps_account", args=[accounts[1].pk])).content.decode()
    assert "too few answers" in page
    assert "nps-score" not in page
    assert 'id="nps-risk"' not in page


def test_the_list_marks_the_risky_account_and_offers_the_import_to_admins(
    client, manager_user, admin_user, accounts
):
    client.force_login(manager_user)
    page = client.get(reverse("planning:nps_index")).content.decode()
    assert page.count("Detractor risk</span>") == 1
    assert reverse("planning:nps_import") not in page
    client.force_login(admin_user)
    assert (
        reverse("planning:nps_import") in client.get(reverse("planning:nps_index")).content.decode()
    )


def test_the_list_reads_in_a_constant_number_of_queries(
    client, manager_user, accounts, django_assert_max_num_queries
):
    for number in range(20):
        _answers(CustomerFactory(code=f"X{number}"), dt.date(2026, 2, 1), [9] * 5)
    client.force_login(manager_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("planning:nps_index"))
