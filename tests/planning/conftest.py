"""An account owned by a sales manager, and a helper that puts people on its map."""

import pytest

from planning.models import Contact
from tests.factories import CustomerFactory


@pytest.fixture
def account(db, manager_user):
    return CustomerFactory(code="ACC1", name="Acme Mining", owner=manager_user)


@pytest.fixture
def person():
    """A contact made directly (services are tested on their own)."""

    def make(customer, name, *, role=Contact.BuyingRole.USER, boss=None, **fields):
        return Contact.objects.create(
            customer=customer, name=name, buying_role=role, reports_to=boss, **fields
        )

    return make
