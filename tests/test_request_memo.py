"""What one request reads several times (company settings, a user's role) is read once, and
never outlives the request or a write made in it."""

from contextlib import contextmanager

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import CompanySettings
from kamapp.roles import Role, role_group, user_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _connection_kept(connection_kept):
    """The tests send a request's start and end themselves."""


@contextmanager
def a_request():
    request_started.send(sender=None)
    try:
        yield
    finally:
        request_finished.send(sender=None)


@pytest.fixture
def in_request():
    with a_request():
        yield


def _queries(read) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as queries:
        value = read()
    return value, len(queries)


def test_company_settings_are_read_once_per_request(in_request):
    CompanySettings.load()
    company, queries = _queries(CompanySettings.load)
    assert queries == 0
    assert company is CompanySettings.load()


def test_a_save_in_the_request_is_read_afresh(in_request):
    company = CompanySettings.load()
    CompanySettings.objects.filter(pk=company.pk).update(period_months=6)
    stored = CompanySettings.objects.get(pk=company.pk)
    stored.period_months = 9
    stored.save()
    reread, queries = _queries(CompanySettings.load)
    assert queries == 1 and reread.period_months == 9


def test_nothing_is_kept_outside_a_request():
    CompanySettings.load()
    CompanySettings.objects.update(period_months=7)
    company, queries = _queries(CompanySettings.load)
    assert queries >= 1 and company.period_months == 7


def test_nothing_is_kept_past_the_request():
    with a_request():
        CompanySettings.load()
    CompanySettings.objects.update(period_months=5)
    with a_request():
        assert CompanySettings.load().period_months == 5


def test_a_role_is_read_once_and_afresh_after_a_change_of_groups(in_request):
    user = UserFactory(role=Role.SALES_MANAGER)
    assert user_role(user) == Role.SALES_MANAGER
    role, queries = _queries(lambda: user_role(user))
    assert (role, queries) == (Role.SALES_MANAGER, 0)
    user.groups.add(role_group(Role.SELECTION_TEAM))
    assert user_role(user) == Role.SELECTION_TEAM
    user.groups.clear()
    assert user_role(user) is None
    role_group(Role.ADMIN).user_set.add(user)  # from the group's side
    assert user_role(user) == Role.ADMIN


def test_each_user_has_their_own_role(in_request):
    manager, team = UserFactory(role=Role.SALES_MANAGER), UserFactory(role=Role.SELECTION_TEAM)
    assert (user_role(manager), user_role(team)) == (Role.SALES_MANAGER, Role.SELECTION_TEAM)
