"""The whitespace pages: the matrix and its filters, one account, the product groups."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning.models import ProductGroupRule
from scoring.models import Decision
from tests.factories import (
    CustomerFactory,
    LedgerLineFactory,
    ScoringRoundFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def retail():
    """Key account Alpha buys solar; Beta, its peer, buys solar and cables."""
    segment = SegmentFactory(name="Retail")
    alpha = CustomerFactory(name="Alpha", segment=segment)
    beta = CustomerFactory(name="Beta", segment=segment)
    day = datetime.date(2026, 5, 1)
    LedgerLineFactory(customer=alpha, product_code="PV-1", amount=Decimal("90"), invoice_date=day)
    LedgerLineFactory(customer=beta, product_code="PV-2", amount=Decimal("300"), invoice_date=day)
    LedgerLineFactory(customer=beta, product_code="CBL-1", amount=Decimal("50"), invoice_date=day)
    ProductGroupRule.objects.create(pattern="PV-", is_prefix=True, group="Solar")
    ProductGroupRule.objects.create(pattern="CBL-", is_prefix=True, group="Cables")
    decided = ScoringRoundFactory(decided=True)
    Decision.objects.create(round=decided, customer=alpha, choice="key", coverage="farmer")
    return {"alpha": alpha, "beta": beta, "segment": segment}


def test_matrix_shows_the_key_accounts_candidates_and_up_sells(client, manager_user, retail):
    client.force_login(manager_user)
    response = client.get(reverse("planning:whitespace"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-customer="' + retail["alpha"].code in html
    assert retail["beta"].code not in html
    # Alpha does not buy cables, which half its segment buys; its 90 is below half of 195.
    assert "data-candidate" in html and "50%" in html
    assert "data-upsell" in html
    assert "Cables (50%)" in html


def test_matrix_filter_answers_htmx_with_the_table_alone(client, manager_user, retail):
    client.force_login(manager_user)
    response = client.get(
        reverse("planning:whitespace"),
        {"scope": "all", "segment": retail["segment"].pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="whitespace-matrix"')
    assert retail["alpha"].code in html and retail["beta"].code in html
    page = client.get(reverse("planning:whitespace"), {"segment": retail["segment"].pk})
    assert f'<option value="{retail["segment"].pk}" selected>' in page.content.decode()


def test_account_page_lists_its_candidates_and_up_sells(client, manager_user, retail):
    client.force_login(manager_user)
    response = client.get(reverse("planning:whitespace_account", args=[retail["alpha"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="whitespace-cross-sell"' in html and "Cables" in html and "50.0%" in html
    assert 'id="whitespace-up-sell"' in html and "Solar" in html


def test_product_groups_page_shows_each_code_and_its_group(client, admin_user, retail):
    client.force_login(admin_user)
    response = client.get(reverse("planning:product_groups"))
    html = response.content.decode()
    assert "PV-* = Solar" in html
    assert 'data-code="CBL-1"' in html and "the prefix CBL-*" in html


def test_product_groups_refused_with_the_duplicate_named(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("planning:product_groups"),
        {
            "rules": "PV-* = Solar\nPV-* = Panels",
            "fallback_prefix_length": "0",
            "upsell_below_percent": "50",
        },
    )
    assert response.status_code == 422
    assert "Line 2: “PV-*” is mapped twice (lines 1 and 2)." in response.content.decode()
    assert not ProductGroupRule.objects.exists()


def test_product_groups_saved_and_shown_again(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("planning:product_groups"),
        {"rules": "pv-* = Solar", "fallback_prefix_length": "2", "upsell_below_percent": "40"},
    )
    assert response.status_code == 302
    assert "PV-* = Solar" in client.get(reverse("planning:product_groups")).content.decode()


def test_matrix_needs_the_same_queries_whatever_the_number_of_accounts(
    client, manager_user, retail, django_assert_max_num_queries
):
    client.force_login(manager_user)
    url = reverse("planning:whitespace") + "?scope=all"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        customer = CustomerFactory(name=f"Gamma {n}", segment=retail["segment"])
        LedgerLineFactory(
            customer=customer,
            product_code=f"CBL-{n}",
            amount=Decimal("10"),
            invoice_date=datetime.date(2026, 5, 1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("data-customer=") == 32


def test_pages_with_an_empty_ledger_say_so(client, admin_user):
    customer = CustomerFactory()
    client.force_login(admin_user)
    for url in (
        reverse("planning:whitespace"),
        reverse("planning:whitespace_account", args=[customer.pk]),
        reverse("planning:product_groups"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "The ledger is empty" in response.content.decode(), url


def test_a_purchase_credited_away_shows_its_net_spend_beside_the_candidate(
    client, manager_user, retail
):
    for amount in ("25", "-25"):
        LedgerLineFactory(
            customer=retail["alpha"],
            product_code="CBL-1",
            amount=Decimal(amount),
            invoice_date=datetime.date(2026, 5, 1),
        )
    client.force_login(manager_user)
    html = client.get(reverse("planning:whitespace")).content.decode()
    cell = html[html.index('<td class="num" data-group="Cables">') :].split("</td>")[0]
    assert "IDR 0" in cell and "data-candidate" in cell
