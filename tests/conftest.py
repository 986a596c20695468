"""Fixtures shared by every test: role users, the demo company, eager Celery."""

import datetime as dt

import pytest

from accounts.services import metrics_recompute
from demo.services import demo_company_seed
from kamapp.celery import app as celery_app
from kamapp.roles import Role
from tests.accounts.ledger import buy
from tests.factories import CustomerFactory, UserFactory


@pytest.fixture(autouse=True)
def _celery_eager():
    """Unit tests run tasks in-process; tests marked `worker` use a real worker instead."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing a password for real takes a CPU-second per user; tests need no such cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-t", role=Role.ADMIN)


@pytest.fixture
def team_user(db):
    return UserFactory(username="team-t", role=Role.SELECTION_TEAM)


@pytest.fixture
def manager_user(db):
    return UserFactory(username="manager-t", role=Role.SALES_MANAGER)


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    return demo_company_seed(create_logins=True)


@pytest.fixture
def ranked():
    """Four customers at 700 (A), 200 (A), 100 (B) and 0 (C); the second is targeted."""
    big = CustomerFactory(code="R1", name="Big")
    mid = CustomerFactory(code="R2", name="Mid", competitor_targeted=True)
    small = CustomerFactory(code="R3", name="Small")
    idle = CustomerFactory(code="R4", name="Idle")
    for month in range(1, 13):  # a purchase every month: a large continuous buyer
        buy(
            big, 50, date=dt.date(2025, 6 + month, 1) if month <= 6 else dt.date(2026, month - 6, 1)
        )
    buy(big, 100)
    buy(mid, 200, due_date=dt.date(2026, 6, 1), paid_date=dt.date(2026, 7, 1))
    buy(small, 100)
    metrics_recompute()
    return big, mid, small, idle
