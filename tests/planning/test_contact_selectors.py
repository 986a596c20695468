import datetime

import pytest

from planning.models import ContactLogEntry
from planning.selectors import last_contact_dates
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _log(customer, date):
    return ContactLogEntry.objects.create(
        customer=customer, date=date, channel="visit", touch_point="purchase"
    )


def test_last_contact_is_each_accounts_latest_date_and_absent_when_never_contacted():
    first, second, silent = CustomerFactory(), CustomerFactory(), CustomerFactory()
    _log(first, datetime.date(2026, 3, 1))
    _log(first, datetime.date(2026, 5, 9))
    _log(first, datetime.date(2026, 4, 2))
    _log(second, datetime.date(2025, 12, 31))
    assert last_contact_dates() == {
        first.pk: datetime.date(2026, 5, 9),
        second.pk: datetime.date(2025, 12, 31),
    }
    assert last_contact_dates(customer_ids=[second.pk, silent.pk]) == {
        second.pk: datetime.date(2025, 12, 31)
    }
