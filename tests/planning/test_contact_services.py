import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from planning.models import Contact, ContactLogEntry
from planning.services import (
    contact_create,
    contact_deactivate,
    contact_log_record,
    contact_update,
)
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _log(customer, user, **changes):
    fields = {
        "date": timezone.localdate(),
        "contact": None,
        "channel": ContactLogEntry.Channel.VISIT,
        "touch_point": ContactLogEntry.TouchPoint.PURCHASE,
    }
    return contact_log_record(customer=customer, user=user, **{**fields, **changes})


def test_owner_adds_a_contact_reporting_to_another_of_the_account(account, manager_user, person):
    boss = person(account, "Dewi", role=Contact.BuyingRole.DECISION_MAKER)
    contact = contact_create(
        customer=account,
        user=manager_user,
        name="  Budi  ",
        buying_role=Contact.BuyingRole.INFLUENCER,
        stance=Contact.Stance.ADVOCATE,
        title="Plant manager",
        reports_to=boss,
        relationship_owner=manager_user,
    )
    contact.refresh_from_db()
    assert (contact.name, contact.reports_to, contact.customer) == ("Budi", boss, account)
    assert LogEntry.objects.get_for_object(contact).count() == 1  # in the audit trail


def test_a_contact_cannot_report_to_someone_of_another_account(account, manager_user, person):
    stranger = person(CustomerFactory(), "Stranger")
    with pytest.raises(ValidationError) as caught:
        contact_create(
            customer=account,
            user=manager_user,
            name="Budi",
            buying_role=Contact.BuyingRole.USER,
            reports_to=stranger,
        )
    assert caught.value.message_dict == {
        "reports_to": ["Stranger is not a contact of this account."]
    }
    assert not Contact.objects.filter(name="Budi").exists()


def test_reports_to_never_makes_a_cycle(account, manager_user, person):
    top = person(account, "Top")
    middle = person(account, "Middle", boss=top)
    bottom = person(account, "Bottom", boss=middle)
    with pytest.raises(ValidationError) as caught:
        contact_update(contact=top, user=manager_user, reports_to=bottom)
    assert caught.value.message_dict == {
        "reports_to": ["Top cannot report to Bottom, who reports to them in turn."]
    }
    with pytest.raises(ValidationError) as caught:
        contact_update(contact=top, user=manager_user, reports_to=top)
    assert caught.value.message_dict == {"reports_to": ["Nobody reports to themselves."]}
    top.refresh_from_db()
    assert top.reports_to is None
    # Moving a branch elsewhere in the tree is fine.
    contact_update(contact=bottom, user=manager_user, reports_to=top)
    bottom.refresh_from_db()
    assert bottom.reports_to == top


def test_a_contact_cannot_report_to_someone_who_left(account, manager_user, person):
    gone = person(account, "Gone", active=False)
    with pytest.raises(ValidationError) as caught:
        contact_create(
            customer=account,
            user=manager_user,
            name="Budi",
            buying_role=Contact.BuyingRole.USER,
            reports_to=gone,
        )
    assert caught.value.message_dict == {"reports_to": ["Gone has left the account."]}


def test_a_contact_needs_a_name_and_a_known_role(account, manager_user):
    with pytest.raises(ValidationError) as caught:
        contact_create(customer=account, user=manager_user, name=" ", buying_role="boss")
    assert set(caught.value.message_dict) == {"name", "buying_role"}


def test_another_sales_manager_cannot_change_the_account(account, person):
    stranger = UserFactory(username="other-manager", role="sales_manager")
    contact = person(account, "Dewi")
    with pytest.raises(PermissionDenied):
        contact_create(customer=account, user=stranger, name="X", buying_role="user")
    with pytest.raises(PermissionDenied):
        contact_update(contact=contact, user=stranger, name="Changed")
    with pytest.raises(PermissionDenied):
        contact_deactivate(contact=contact, user=stranger)
    with pytest.raises(PermissionDenied):
        _log(account, stranger, contact=contact)
    contact.refresh_from_db()
    assert (contact.name, contact.active, ContactLogEntry.objects.count()) == ("Dewi", True, 0)


def test_the_team_changes_any_account(account, team_user):
    contact = contact_create(customer=account, user=team_user, name="Dewi", buying_role="sponsor")
    assert contact.customer == account


def test_deactivating_moves_the_reports_up_to_the_boss(account, manager_user, person):
    top = person(account, "Top")
    middle = person(account, "Middle", boss=top)
    first = person(account, "First", boss=middle)
    second = person(account, "Second", boss=middle)
    moved = contact_deactivate(contact=middle, user=manager_user)
    assert [contact.name for contact in moved] == ["First", "Second"]
    middle.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (middle.active, middle.reports_to) == (False, None)
    assert (first.reports_to, second.reports_to) == (top, top)
    with pytest.raises(ValidationError, match=r"Middle is already off the map\."):
        contact_deactivate(contact=middle, user=manager_user)


def test_a_contact_is_logged_with_one_of_the_accounts_people(account, manager_user, person):
    dewi = person(account, "Dewi")
    entry = _log(
        account,
        manager_user,
        contact=dewi,
        touch_point=ContactLogEntry.TouchPoint.POST_PURCHASE,
        note=" Quarterly review ",
    )
    entry.refresh_from_db()
    assert (entry.customer, entry.contact, entry.note, entry.logged_by, entry.touch_point) == (
        account,
        dewi,
        "Quarterly review",
        manager_user,
        "post_purchase",
    )


def test_a_contact_can_be_logged_today_but_not_tomorrow(account, manager_user, person):
    dewi = person(account, "Dewi")
    today = timezone.localdate()
    assert _log(account, manager_user, contact=dewi, date=today).date == today
    with pytest.raises(ValidationError) as caught:
        _log(account, manager_user, contact=dewi, date=today + datetime.timedelta(days=1))
    assert caught.value.message_dict == {
        "date": ["A contact is logged once it has happened: the date is in the future."]
    }
    assert ContactLogEntry.objects.count() == 1


def test_the_logged_contact_person_must_belong_to_the_account(account, manager_user, person):
    stranger = person(CustomerFactory(), "Stranger")
    with pytest.raises(ValidationError) as caught:
        _log(account, manager_user, contact=stranger)
    assert caught.value.message_dict == {"contact": ["Stranger is not a contact of this account."]}
    with pytest.raises(ValidationError) as caught:
        _log(account, manager_user, contact=None)
    assert caught.value.message_dict == {
        "contact": ["Say whom you were in contact with (add them to the map first)."]
    }
    assert ContactLogEntry.objects.count() == 0


def test_a_logged_contact_needs_a_known_channel_and_touch_point(account, manager_user, person):
    with pytest.raises(ValidationError) as caught:
        _log(
            account,
            manager_user,
            contact=person(account, "Dewi"),
            channel="carrier pigeon",
            touch_point="later",
        )
    assert set(caught.value.message_dict) == {"channel", "touch_point"}


def test_only_a_contacts_own_fields_change_through_the_services(account, manager_user, person):
    dewi = person(account, "Dewi")
    with pytest.raises(TypeError):
        contact_update(contact=dewi, user=manager_user, customer=CustomerFactory())
