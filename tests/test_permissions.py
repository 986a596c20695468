# ruff: noqa: F811 - the round fixtures are imported from tests/scoring/conftest.py.
"""Each role gets exactly the access the roles table gives, on every URL of the app.

`ACCESS` lists every named URL: the status each role gets for a GET and for a POST
(with a valid body, so that an allowed POST does its work). A URL added without an entry
fails `test_every_url_has_an_access_entry`.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import get_resolver, reverse

from accounts.roles import ROLE_PERMISSIONS, Role, role_group
from scoring.models import Rating
from tests.factories import UserFactory
from tests.scoring.conftest import rated_round, small_round  # noqa: F401
from tests.test_login_required import SKIPPED_PREFIXES, _walk

pytestmark = pytest.mark.django_db

ROLES = ["no_role", "manager", "team", "admin"]


def _all(status):
    return dict.fromkeys(ROLES, status)


def _roles(no_role, manager, team, admin):
    return {"no_role": no_role, "manager": manager, "team": team, "admin": admin}


READ = _roles(403, 200, 200, 200)
TEAM_ONLY = _roles(403, 403, 200, 200)
NOT_ALLOWED = _all(405)

# url name: (GET statuses, POST statuses)
ACCESS = {
    "login": (_all(302), _all(302)),  # a signed-in user is sent on to the dashboard
    "logout": (NOT_ALLOWED, _all(302)),
    "dashboard": (_all(200), NOT_ALLOWED),
    "customer_index": (READ, NOT_ALLOWED),
    "customer_detail": (READ, NOT_ALLOWED),
    "round_index": (READ, NOT_ALLOWED),
    "round_new": (TEAM_ONLY, _roles(403, 403, 302, 302)),
    "round_detail": (READ, NOT_ALLOWED),
    "factor_set": (READ, _roles(403, 403, 302, 302)),
    "factor_weight_sum": (NOT_ALLOWED, TEAM_ONLY),
    "rating_grid": (READ, NOT_ALLOWED),
    "rating_save": (NOT_ALLOWED, _roles(403, 200, 200, 200)),
    "round_account": (READ, NOT_ALLOWED),
    "round_export_csv": (READ, NOT_ALLOWED),
}


def _url_names():
    return {
        pattern.name
        for route, pattern in _walk(get_resolver().url_patterns)
        if not route.startswith(SKIPPED_PREFIXES)
    }


@pytest.fixture
def users(db, small_round):
    admin = UserFactory(username="group-admin")
    # An Admin by group only (not a superuser), so the group's own permissions are tested.
    admin.groups.add(role_group(Role.ADMIN))
    admin.is_staff = True
    admin.save()
    return {
        "no_role": UserFactory(username="nobody"),
        "manager": small_round["rater"],
        "team": UserFactory(username="team-p", role=Role.SELECTION_TEAM),
        "admin": admin,
    }


def _request(r, name: str) -> tuple[str, dict]:
    """The URL of a named page on the small round, and a valid POST body for it."""
    round_pk = r["round"].pk
    factor_rows = {
        "axis": "strength",
        "strength-TOTAL_FORMS": "2",
        "strength-INITIAL_FORMS": "2",
        "strength-0-id": r["s1"].pk,
        "strength-0-name": "Quality",
        "strength-0-weight": "30",
        "strength-1-id": r["s2"].pk,
        "strength-1-name": "Delivery",
        "strength-1-weight": "70",
    }
    requests = {
        "login": (reverse("login"), {"username": "x", "password": "y"}),
        "logout": (reverse("logout"), {}),
        "dashboard": (reverse("dashboard"), {}),
        "customer_index": (reverse("customer_index"), {}),
        "customer_detail": (reverse("customer_detail", args=[r["mine"].pk]), {}),
        "round_index": (reverse("round_index"), {}),
        "round_new": (reverse("round_new"), {"name": "Next round", "date": "2027-01-15"}),
        "round_detail": (reverse("round_detail", args=[round_pk]), {}),
        "factor_set": (reverse("factor_set", args=[round_pk]), factor_rows),
        "factor_weight_sum": (
            reverse("factor_weight_sum", args=[round_pk, "strength"]),
            factor_rows,
        ),
        "rating_grid": (reverse("rating_grid", args=[round_pk]), {}),
        "rating_save": (
            reverse("rating_save", args=[round_pk]),
            {"customer": r["mine"].pk, "factor": r["a1"].pk, "value": "7"},
        ),
        "round_account": (reverse("round_account", args=[round_pk, r["mine"].pk]), {}),
        "round_export_csv": (reverse("round_export_csv", args=[round_pk]), {}),
    }
    return requests[name]


def test_every_url_has_an_access_entry():
    assert _url_names() == set(ACCESS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ACCESS))
def test_each_role_gets_the_access_of_the_table(client, small_round, users, role, name):
    client.force_login(users[role])
    url, body = _request(small_round, name)
    expected_get, expected_post = ACCESS[name]
    assert client.get(url).status_code == expected_get[role], f"GET {url} as {role}"
    client.force_login(users[role])  # a POST to logout signed the user out
    assert client.post(url, body).status_code == expected_post[role], f"POST {url} as {role}"


def test_manager_posting_a_rating_for_another_managers_account_changes_nothing(client, rated_round):
    r = rated_round
    before = list(Rating.objects.values_list("pk", "value"))
    client.force_login(r["rater"])
    response = client.post(
        reverse("rating_save", args=[r["round"].pk]),
        {"customer": r["other"].pk, "factor": r["a1"].pk, "value": "3"},
    )
    assert response.status_code == 403
    assert list(Rating.objects.values_list("pk", "value")) == before


def test_team_rates_any_account(client, small_round, users):
    r = small_round
    client.force_login(users["team"])
    response = client.post(
        reverse("rating_save", args=[r["round"].pk]),
        {"customer": r["other"].pk, "factor": r["a1"].pk, "value": "3"},
    )
    assert response.status_code == 200
    assert Rating.objects.get(customer=r["other"], rater=users["team"]).value == Decimal("3")


def test_admin_group_holds_every_permission(db):
    assert set(role_group(Role.ADMIN).permissions.all()) == set(Permission.objects.all())


@pytest.mark.parametrize("role", list(ROLE_PERMISSIONS))
def test_role_groups_hold_exactly_their_table(db, role):
    held = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in role_group(role).permissions.select_related("content_type")
    }
    assert held == set(ROLE_PERMISSIONS[role])


@pytest.mark.parametrize(("role", "status"), [("manager", 302), ("team", 302), ("admin", 200)])
def test_only_admins_reach_the_admin_site_and_audit_log(client, users, role, status):
    client.force_login(users[role])
    for url in (reverse("admin:index"), reverse("admin:auditlog_logentry_changelist")):
        assert client.get(url).status_code == status, url
