"""Fixtures shared by every test: role users, the demo company, eager Celery."""

import pytest

from kamapp.celery import app as celery_app
from kamapp.roles import Role
from scoring.demo import demo_company_seed
from tests.factories import UserFactory


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
