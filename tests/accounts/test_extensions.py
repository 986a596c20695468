import pytest

from accounts import extensions
from accounts.extensions import CustomerExtension, customer_column_register, customer_columns_fill
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_columns(monkeypatch):
    """An empty column registry for the test (the apps' own columns set aside)."""
    monkeypatch.setattr(extensions, "_COLUMNS", {})


def test_a_registered_column_reads_the_whole_page_at_once(only_columns, manager_user):
    calls = []

    def values(*, customers, user):
        calls.append(([customer.code for customer in customers], user))
        return {customers[0].pk: "first"}

    customer_column_register(
        CustomerExtension(key="probe", label="Probe", template="probe.html", values=values)
    )
    first, second = CustomerFactory(code="A"), CustomerFactory(code="B")
    columns = customer_columns_fill(customers=[first, second], user=manager_user)
    assert [column.key for column in columns] == ["probe"]
    assert calls == [(["A", "B"], manager_user)]
    assert [cell.value for cell in first.extension_cells] == ["first"]
    assert [cell.value for cell in second.extension_cells] == [None]
