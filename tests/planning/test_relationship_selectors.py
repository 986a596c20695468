import datetime

import pytest

from planning.models import Contact
from planning.selectors import (
    STANCE_COLOURS,
    account_relationships,
    days_since,
    last_contacts,
    relationship_gaps,
)
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

DM = Contact.BuyingRole.DECISION_MAKER
SPONSOR = Contact.BuyingRole.SPONSOR
USER = Contact.BuyingRole.USER


def _map(*people):
    """Unsaved contacts: (buying role, still there)."""
    return [
        Contact(name=f"P{i}", buying_role=role, active=active)
        for i, (role, active) in enumerate(people)
    ]


@pytest.mark.parametrize(
    ("people", "gaps"),
    [
        ([], ["no_decision_maker", "no_sponsor"]),
        ([(USER, True)], ["no_decision_maker", "no_sponsor", "single_contact"]),
        ([(DM, True)], ["no_sponsor", "single_contact"]),
        ([(DM, True), (USER, True)], ["no_sponsor"]),
        ([(DM, True), (SPONSOR, True)], []),
        # Someone who left counts for nothing: the sponsor is gone, Dewi stands alone.
        ([(DM, True), (SPONSOR, False)], ["no_sponsor", "single_contact"]),
    ],
)
def test_gaps_of_hand_made_maps(people, gaps):
    assert relationship_gaps(contacts=_map(*people)) == gaps


def test_days_since_is_zero_on_the_day_and_one_the_day_after():
    contacted = datetime.date(2026, 2, 28)
    assert days_since(date=contacted, today=datetime.date(2026, 2, 28)) == 0
    assert days_since(date=contacted, today=datetime.date(2026, 3, 1)) == 1
    assert days_since(date=contacted, today=datetime.date(2026, 3, 14)) == 14


def test_last_contacts_give_the_latest_date_and_its_days(manager_user, person):
    account, silent = CustomerFactory(), CustomerFactory()
    dewi = person(account, "Dewi")
    for date in (datetime.date(2026, 5, 1), datetime.date(2026, 5, 20)):
        dewi.log_entries.create(
            customer=account, date=date, channel="visit", touch_point="purchase"
        )
    found = last_contacts(customer_ids=[account.pk, silent.pk], today=datetime.date(2026, 6, 3))
    assert list(found) == [account.pk]
    assert (found[account.pk].date, found[account.pk].days_since) == (
        datetime.date(2026, 5, 20),
        14,
    )


def test_the_chart_shows_present_people_in_their_stance_colour(person, manager_user):
    account = CustomerFactory()
    boss = person(account, "Dewi Kartika", role=DM, title="Director of Operations and Supply Chain")
    person(
        account, "Budi", boss=boss, stance=Contact.Stance.HOSTILE, relationship_owner=manager_user
    )
    person(account, "Gone", active=False)
    relationships = account_relationships(customer=account)
    assert [c.name for c in relationships["contacts"]] == ["Budi", "Dewi Kartika"]
    assert [c.name for c in relationships["former_contacts"]] == ["Gone"]
    boxes = {box.contact.name: box for box in relationships["chart"]["boxes"]}
    assert set(boxes) == {"Budi", "Dewi Kartika"}
    assert boxes["Budi"].colour == STANCE_COLOURS["hostile"]
    assert boxes["Budi"].y > boxes["Dewi Kartika"].y
    assert [text for _baseline, text in boxes["Dewi Kartika"].lines] == [
        "Dewi Kartika",
        "Director of Operations and…",  # cut to fit the box
        "Decision maker",
        "Ours: nobody",
    ]
    assert boxes["Budi"].lines[3][1] == "Ours: manager-t"
    assert [str(gap) for gap in relationships["gaps"]] == ["No executive sponsor."]
