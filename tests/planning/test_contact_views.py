import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Customer
from planning.models import Contact, ContactLogEntry
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _contact_post(**changes):
    return {"name": "Dewi", "buying_role": "decision_maker", "stance": "neutral", **changes}


def test_the_account_page_draws_the_map_and_flags_its_gaps(client, account, manager_user, person):
    boss = person(account, "Dewi", role=Contact.BuyingRole.DECISION_MAKER, title="Director")
    person(account, "Budi", boss=boss)
    client.force_login(manager_user)
    response = client.get(reverse("planning:account", args=[account.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<polyline") == 1
    assert 'data-contact="Dewi"' in content and 'data-contact="Budi"' in content
    assert "No executive sponsor." in content
    assert "No decision maker known." not in content
    assert "Never contacted" in content
    assert "data-contact-form" in content  # the owner may add people


def test_a_single_point_of_contact_is_flagged(client, account, manager_user, person):
    person(account, "Dewi", role=Contact.BuyingRole.SPONSOR)
    client.force_login(manager_user)
    content = client.get(reverse("planning:account", args=[account.pk])).content.decode()
    assert "A single point of contact" in content
    assert "No decision maker known." in content


def test_readers_see_the_map_without_its_forms(client, account, person):
    person(account, "Dewi")
    reader = UserFactory(username="reader", role="sales_manager")
    client.force_login(reader)
    content = client.get(reverse("planning:account", args=[account.pk])).content.decode()
    assert 'data-contact="Dewi"' in content
    assert "data-contact-form" not in content and "data-log-form" not in content
    assert "Left the account</button>" not in content


def test_adding_a_contact_redirects_to_the_map(client, account, manager_user, person):
    boss = person(account, "Boss")
    client.force_login(manager_user)
    response = client.post(
        reverse("planning:contact_new", args=[account.pk]),
        _contact_post(reports_to=boss.pk, relationship_owner=manager_user.pk),
    )
    assert response.status_code == 302
    dewi = Contact.objects.get(name="Dewi")
    assert (dewi.customer, dewi.reports_to, dewi.relationship_owner) == (
        account,
        boss,
        manager_user,
    )


def test_a_refused_contact_comes_back_with_its_errors(client, account, manager_user, person):
    stranger = person(CustomerFactory(), "Stranger")
    client.force_login(manager_user)
    response = client.post(
        reverse("planning:contact_new", args=[account.pk]),
        _contact_post(name="", reports_to=stranger.pk),
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert "Select a valid choice" in response.content.decode()  # not one of the account's
    assert list(Contact.objects.values_list("name", flat=True)) == ["Stranger"]


def test_editing_into_a_cycle_shows_why(client, account, manager_user, person):
    top = person(account, "Top")
    bottom = person(account, "Bottom", boss=top)
    client.force_login(manager_user)
    response = client.post(
        reverse("planning:contact_edit", args=[top.pk]),
        _contact_post(name="Top", reports_to=bottom.pk),
    )
    assert response.status_code == 422
    assert "Top cannot report to Bottom, who reports to them in turn." in response.content.decode()
    top.refresh_from_db()
    assert top.reports_to is None


def test_leaving_the_account_takes_a_contact_off_the_map(client, account, manager_user, person):
    top = person(account, "Top")
    middle = person(account, "Middle", boss=top)
    person(account, "Low", boss=middle)
    client.force_login(manager_user)
    response = client.post(reverse("planning:contact_deactivate", args=[middle.pk]), follow=True)
    content = response.content.decode()
    assert "Middle is off the map. Their reports now report to Top." in content
    assert Contact.objects.get(name="Low").reports_to == top


def test_a_logged_contact_is_listed_latest_first(client, account, manager_user, person):
    dewi = person(account, "Dewi")
    client.force_login(manager_user)
    today = timezone.localdate()
    for days_ago, note in ((10, "Earlier visit"), (3, "Later call")):
        response = client.post(
            reverse("planning:contact_log_new", args=[account.pk]),
            {
                "date": (today - datetime.timedelta(days=days_ago)).isoformat(),
                "contact": dewi.pk,
                "channel": "phone",
                "touch_point": "post_purchase",
                "note": note,
            },
        )
        assert response.status_code == 302
    content = client.get(reverse("planning:account", args=[account.pk])).content.decode()
    assert content.index("Later call") < content.index("Earlier visit")
    assert "3 days since" in content


def test_a_contact_logged_for_tomorrow_is_refused(client, account, manager_user, person):
    dewi = person(account, "Dewi")
    client.force_login(manager_user)
    response = client.post(
        reverse("planning:contact_log_new", args=[account.pk]),
        {
            "date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            "contact": dewi.pk,
            "channel": "visit",
            "touch_point": "purchase",
        },
    )
    assert response.status_code == 422
    assert "the date is in the future" in response.content.decode()
    assert not ContactLogEntry.objects.exists()


def test_the_customer_list_shows_last_contact_and_days_since(client, account, manager_user, person):
    dewi = person(account, "Dewi")
    silent = CustomerFactory(name="Silent Co")
    contacted = timezone.localdate() - datetime.timedelta(days=1)
    ContactLogEntry.objects.create(
        customer=account, contact=dewi, date=contacted, channel="visit", touch_point="purchase"
    )
    client.force_login(manager_user)
    content = client.get(reverse("accounts:customer_index"), {"scope": "all"}).content.decode()
    assert "Last contact" in content
    row = content[content.index(f'data-customer="{account.code}"') :]
    row = row[: row.index("</tr>")]
    assert f'data-last-contact="{contacted:%Y-%m-%d}"' in row and "1 day ago" in row
    silent_row = content[content.index(f'data-customer="{silent.code}"') :]
    assert "never" in silent_row[: silent_row.index("</tr>")]


def test_the_customer_page_links_to_the_account_planning(client, account, manager_user):
    ContactLogEntry.objects.create(
        customer=account, date=timezone.localdate(), channel="visit", touch_point="purchase"
    )
    client.force_login(manager_user)
    content = client.get(reverse("accounts:customer_detail", args=[account.pk])).content.decode()
    assert reverse("planning:account", args=[account.pk]) in content
    assert "0 days since" in content


def _customer_list_queries(client, count: int) -> int:
    contacted = timezone.localdate() - datetime.timedelta(days=5)
    for customer in CustomerFactory.create_batch(count):
        ContactLogEntry.objects.create(
            customer=customer, date=contacted, channel="visit", touch_point="purchase"
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:customer_index"), {"scope": "all"})
    assert response.content.decode().count("5 days ago") == count
    ContactLogEntry.objects.all().delete()
    return len(queries)


def test_the_customer_list_reads_last_contacts_in_a_constant_number_of_queries(
    client, manager_user
):
    client.force_login(manager_user)
    client.get(reverse("accounts:customer_index"))  # warm the session and settings
    three = _customer_list_queries(client, 3)
    Customer.objects.all().delete()
    assert _customer_list_queries(client, 30) == three


def test_a_manager_cannot_change_another_managers_account(client, account, person):
    dewi = person(account, "Dewi")
    other = UserFactory(username="other-manager", role="sales_manager")
    client.force_login(other)
    urls = [
        (reverse("planning:contact_new", args=[account.pk]), _contact_post(name="Budi")),
        (reverse("planning:contact_edit", args=[dewi.pk]), _contact_post(name="Changed")),
        (reverse("planning:contact_deactivate", args=[dewi.pk]), {}),
    ]
    for url, body in urls:
        assert client.post(url, body).status_code == 403, url
    assert client.get(reverse("planning:contact_edit", args=[dewi.pk])).status_code == 403
    dewi.refresh_from_db()
    assert (dewi.name, dewi.active, Contact.objects.count()) == ("Dewi", True, 1)


def _account_page_queries(client, customer) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("planning:account", args=[customer.pk]))
    assert response.status_code == 200
    return len(queries)


def test_the_account_page_draws_forty_people_in_a_constant_number_of_queries(
    client, account, manager_user, person
):
    boss = person(account, "Boss", role=Contact.BuyingRole.DECISION_MAKER)
    for number in range(2):
        person(account, f"Report {number}", boss=boss, relationship_owner=manager_user)
    client.force_login(manager_user)
    _account_page_queries(client, account)  # warm the session
    three = _account_page_queries(client, account)
    for number in range(2, 39):
        person(account, f"Report {number}", boss=boss, relationship_owner=manager_user)
    assert _account_page_queries(client, account) == three
    content = client.get(reverse("planning:account", args=[account.pk])).content.decode()
    assert content.count("<polyline") == 39
