"""Each role gets exactly the access the roles table gives, on every URL of the app.

`ACCESS` lists every named URL: the status each role gets for a GET and for a POST
(with a valid body, so that an allowed POST does its work). A URL added without an entry
fails `test_every_url_has_an_access_entry`.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.ledger.services import (
    ledger_import_configure,
    ledger_import_create,
    ledger_import_run,
)
from accounts.models import LedgerImport
from kamapp.roles import ROLE_PERMISSIONS, Role, role_group
from planning.models import BOX_COVERAGE_DEFAULTS, Contact
from planning.services import (
    action_create,
    objective_create,
    plan_start,
    survey_import_create,
    survey_import_run,
)
from scoring.models import Rating, ScoringRound
from scoring.services import factor_set_version
from tests.factories import UserFactory
from tests.fixtures.rounds import stage_set
from tests.url_walk import SKIPPED_PREFIXES, url_patterns

pytestmark = pytest.mark.django_db

ROLES = ["no_role", "manager", "team", "admin"]


def _all(status):
    return dict.fromkeys(ROLES, status)


def _roles(no_role, manager, team, admin):
    return {"no_role": no_role, "manager": manager, "team": team, "admin": admin}


READ = _roles(403, 200, 200, 200)
TEAM_ONLY = _roles(403, 403, 200, 200)
NOT_ALLOWED = _all(405)
ADMIN_ONLY = _roles(403, 403, 403, 200)
ADMIN_ONLY_REDIRECT = _roles(403, 403, 403, 302)
# Only the round's coordinator (here: nobody but admins, who stand in) leads the meeting;
# the team's permission lets the request in, the service refuses a non-coordinator.
COORDINATOR = _roles(403, 403, 403, 200)
COORDINATOR_REDIRECT = _roles(403, 403, 403, 302)

# url name: (GET statuses, POST statuses)
ACCESS = {
    "login": (_all(302), _all(302)),  # a signed-in user is sent on to the dashboard
    "favicon": (_all(302), NOT_ALLOWED),  # sent on to the icon in the static files
    "logout": (NOT_ALLOWED, _all(302)),
    "dashboard": (_all(200), NOT_ALLOWED),
    "accounts:customer_index": (READ, NOT_ALLOWED),
    "accounts:customer_detail": (READ, NOT_ALLOWED),
    "scoring:round_index": (READ, NOT_ALLOWED),
    "scoring:round_new": (TEAM_ONLY, _roles(403, 403, 302, 302)),
    "scoring:round_detail": (READ, NOT_ALLOWED),
    "scoring:factor_set": (READ, _roles(403, 403, 302, 302)),
    "scoring:factor_weight_sum": (NOT_ALLOWED, TEAM_ONLY),
    "scoring:rating_grid": (READ, NOT_ALLOWED),
    "scoring:rating_save": (NOT_ALLOWED, _roles(403, 200, 200, 200)),
    "scoring:round_account": (READ, NOT_ALLOWED),
    "scoring:round_export_csv": (READ, NOT_ALLOWED),
    "accounts:customer_export": (READ, NOT_ALLOWED),
    "accounts:pareto": (READ, NOT_ALLOWED),
    "planning:conflict_index": (READ, NOT_ALLOWED),
    "planning:my_account_index": (READ, NOT_ALLOWED),
    "accounts:metrics_run_status": (_all(200), NOT_ALLOWED),
    "accounts:metrics_recompute_start": (NOT_ALLOWED, ADMIN_ONLY_REDIRECT),
    "ledger:import_index": (ADMIN_ONLY, ADMIN_ONLY),  # a POST without a file shows the form again
    "ledger:import_detail": (ADMIN_ONLY, NOT_ALLOWED),
    # The import was refused for a bad row: its mapping page sends on to its report, and
    # its progress poll answers htmx's "stop polling" (286).
    "ledger:import_mapping": (ADMIN_ONLY_REDIRECT, ADMIN_ONLY_REDIRECT),
    "ledger:import_progress": (_roles(403, 403, 403, 286), NOT_ALLOWED),
    "ledger:import_errors": (ADMIN_ONLY, NOT_ALLOWED),
    "ledger:import_retry": (NOT_ALLOWED, ADMIN_ONLY_REDIRECT),
    # The rejected import may be deleted: a confirmation page, then the POST deletes it.
    "ledger:import_delete": (ADMIN_ONLY, ADMIN_ONLY_REDIRECT),
    "planning:nps_index": (READ, NOT_ALLOWED),
    "planning:nps_account": (READ, NOT_ALLOWED),
    "planning:nps_import": (ADMIN_ONLY, ADMIN_ONLY),  # a POST without a file shows the form again
    "planning:nps_import_mapping": (ADMIN_ONLY, ADMIN_ONLY_REDIRECT),  # the POST imports
    "planning:nps_import_detail": (ADMIN_ONLY, NOT_ALLOWED),
    "planning:nps_import_errors": (ADMIN_ONLY, NOT_ALLOWED),
    # The selection team's round (the small round is in its meeting for these requests).
    "scoring:round_team": (READ, NOT_ALLOWED),
    "scoring:round_member_save": (NOT_ALLOWED, _roles(403, 403, 302, 302)),
    "scoring:round_stage": (NOT_ALLOWED, COORDINATOR_REDIRECT),
    "scoring:round_disagreement": (TEAM_ONLY, NOT_ALLOWED),
    "scoring:consensus_save": (NOT_ALLOWED, COORDINATOR),
    # The three-year view: the team and admins set the round's option (sent back to the team
    # page); whoever records the consensus records a three-year value.
    "scoring:round_foresight_save": (NOT_ALLOWED, _roles(403, 403, 302, 302)),
    "scoring:foresight_save": (NOT_ALLOWED, COORDINATOR),
    "scoring:round_meeting": (TEAM_ONLY, NOT_ALLOWED),
    "scoring:decision_save": (NOT_ALLOWED, COORDINATOR),
    "scoring:round_decisions": (TEAM_ONLY, NOT_ALLOWED),
    "scoring:round_sensitivity": (READ, NOT_ALLOWED),
    "scoring:round_adopt": (NOT_ALLOWED, _roles(403, 403, 302, 302)),
    "scoring:round_review": (TEAM_ONLY, NOT_ALLOWED),
    "scoring:round_pack": (TEAM_ONLY, NOT_ALLOWED),
    "scoring:round_image": (READ, NOT_ALLOWED),
    "accounts:language_set": (NOT_ALLOWED, _all(302)),  # everyone signed in picks their language
    # The API (session auth here; tests/api/ test tokens): its root leads to the docs.
    "api:api-root": (_all(302), _all(302)),
    "api:openapi-json": (_all(200), _all(200)),
    "api:openapi-view": (_all(200), _all(200)),
    "api:me": (_all(200), NOT_ALLOWED),
    "api:customer_list": (READ, NOT_ALLOWED),
    "api:customer_detail": (READ, NOT_ALLOWED),
    "api:customer_tiers": (READ, NOT_ALLOWED),
    "api:round_list": (READ, NOT_ALLOWED),
    "api:round_detail": (READ, NOT_ALLOWED),
    "api:round_matrix": (READ, NOT_ALLOWED),
    "api:decision_list": (TEAM_ONLY, NOT_ALLOWED),
    "api:rating_record": (NOT_ALLOWED, _roles(403, 200, 200, 200)),
    "api:consensus_record": (NOT_ALLOWED, COORDINATOR),
    # Managers flag the accounts they own; admins any (the team neither).
    "api:customer_competitor_flag": (NOT_ALLOWED, _roles(403, 200, 403, 200)),
    # The owner, the selection team and admins log contacts (as on the contact log page).
    "api:contact_log_record": (NOT_ALLOWED, _roles(403, 200, 200, 200)),
    # Ledger imports are for admins; a JSON body (no file, no JSON lines) is refused as 415.
    "api:ledger_import_list": (NOT_ALLOWED, _roles(403, 403, 403, 415)),
    "api:ledger_import_detail": (ADMIN_ONLY, NOT_ALLOWED),
    "api:ledger_import_errors": (ADMIN_ONLY, NOT_ALLOWED),
    "api:nps_import_list": (NOT_ALLOWED, _roles(403, 403, 403, 415)),
    "api:nps_import_detail": (ADMIN_ONLY, NOT_ALLOWED),
    "api:nps_import_errors": (ADMIN_ONLY, NOT_ALLOWED),
    # Account plans: everyone who reads customers reads them; the manager changes the plans
    # of the accounts they own (here Alpha), the team and admins any account's.
    "planning:plan_index": (READ, NOT_ALLOWED),
    "planning:plan": (READ, NOT_ALLOWED),
    "planning:plan_start": (NOT_ALLOWED, _roles(403, 302, 302, 302)),
    "planning:plan_texts": (NOT_ALLOWED, _roles(403, 302, 302, 302)),
    "planning:objective_add": (NOT_ALLOWED, _roles(403, 302, 302, 302)),
    "planning:objective_edit": (NOT_ALLOWED, _roles(403, 302, 302, 302)),
    "planning:objective_delete": (NOT_ALLOWED, _roles(403, 302, 302, 302)),  # a draft
    "planning:objective_value_add": (NOT_ALLOWED, _roles(403, 302, 302, 302)),
    "planning:action_add": (NOT_ALLOWED, _roles(403, 302, 302, 302)),
    "planning:action_status": (NOT_ALLOWED, _roles(403, 302, 302, 302)),
    "planning:plan_export": (READ, NOT_ALLOWED),
    "planning:plan_print": (READ, NOT_ALLOWED),
    # An account's planning: everyone who reads customers reads it; its owner (the manager
    # owns Alpha), the team and admins change it.
    "planning:account": (READ, NOT_ALLOWED),
    "planning:contact_new": (NOT_ALLOWED, _roles(403, 302, 302, 302)),
    "planning:contact_edit": (READ, _roles(403, 302, 302, 302)),
    "planning:contact_deactivate": (NOT_ALLOWED, _roles(403, 302, 302, 302)),
    "planning:contact_log_new": (NOT_ALLOWED, _roles(403, 302, 302, 302)),
    # Whitespace: everyone who reads accounts; admins alone map product groups.
    "planning:whitespace": (READ, NOT_ALLOWED),
    "planning:whitespace_account": (READ, NOT_ALLOWED),
    "planning:product_groups": (ADMIN_ONLY, ADMIN_ONLY_REDIRECT),
    # Planning: admins set the boxes' coverage; everyone who reads customers reads the
    # resources; an account's coverage is changed by its owner, the team and admins.
    "planning:coverage_settings": (ADMIN_ONLY, ADMIN_ONLY_REDIRECT),
    "planning:resources": (READ, NOT_ALLOWED),
    "planning:account_coverage": (READ, _roles(403, 302, 302, 302)),
}


def _url_names():
    return {
        name for route, name, _pattern in url_patterns() if not route.startswith(SKIPPED_PREFIXES)
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def users(db, small_round):
    admin = UserFactory(username="group-admin")
    # An Admin by group only (not a superuser), so the group's own permissions are tested.
    admin.groups.add(role_group(Role.ADMIN))
    admin.is_staff = True
    admin.save()
    return {
        "no_role": UserFactory(username="nobody"),
        "manager": small_round.rater,
        "team": UserFactory(username="team-p", role=Role.SELECTION_TEAM),
        "admin": admin,
    }


def _rejected_import(user) -> LedgerImport:
    """An import refused for one bad row: it has a file, an errors file and can be retried."""
    ledger = (
        "InvoiceNo,InvoiceDate,CustomerID,Amount\nP-1,05/03/2026,C1,100\nP-2,not a date,C1,100\n"
    )
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("march.csv", ledger.encode()), user=user
    )
    ledger_import_configure(
        ledger_import=ledger_import,
        mapping={
            "invoice_number": "InvoiceNo",
            "invoice_date": "InvoiceDate",
            "customer_code": "CustomerID",
            "amount": "Amount",
        },
        date_format="dmy",
        valid_only=False,
        columns=["InvoiceNo", "InvoiceDate", "CustomerID", "Amount"],
    )
    return ledger_import_run(ledger_import=ledger_import)


def _survey_imports(code: str):
    """An upload waiting for its mapping, and an import rejected for a bad score."""
    admin = UserFactory(username="survey-admin", role=Role.ADMIN)
    answers = f"Account,Respondent,Date,Score\n{code},Ana,05/03/2026,11\n".encode()
    waiting, rejected = (
        survey_import_create(uploaded_file=SimpleUploadedFile("nps.csv", answers), user=admin)
        for _ in range(2)
    )
    survey_import_run(
        survey_import=rejected,
        mapping=SURVEY_MAPPING,
        date_format="dmy",
        columns=list(SURVEY_MAPPING.values()),
        user=admin,
    )
    return waiting, rejected


SURVEY_MAPPING = {
    "account_code": "Account",
    "respondent": "Respondent",
    "answered_on": "Date",
    "score": "Score",
}


def _request(r, name: str) -> tuple[str, dict]:
    """The URL of a named page on the small round, and a valid POST body for it."""
    round_pk = r.round.pk
    # With the three-year view on, so that recording a three-year value is allowed.
    ScoringRound.objects.filter(pk=round_pk).update(foresight=True)
    ledger_import = _rejected_import(r.rater)
    contact = Contact.objects.create(customer=r.mine, name="Dewi", buying_role="decision_maker")
    survey_waiting, survey_rejected = _survey_imports(r.mine.code)
    survey_body = {f"map_{field}": column for field, column in SURVEY_MAPPING.items()}
    factor_rows = {
        "axis": "strength",
        "version": factor_set_version(factors=list(r.round.factors.filter(axis="strength"))),
        "strength-TOTAL_FORMS": "2",
        "strength-INITIAL_FORMS": "2",
        "strength-0-id": r.s1.pk,
        "strength-0-name": "Quality",
        "strength-0-weight": "30",
        "strength-1-id": r.s2.pk,
        "strength-1-name": "Delivery",
        "strength-1-weight": "70",
    }
    plan = plan_start(customer=r.mine, year=2026, user=r.rater)
    objective = objective_create(
        plan=plan,
        user=r.rater,
        title="Grow",
        measure="Orders",
        baseline=Decimal(1),
        target=Decimal(3),
        due_date=date(2026, 12, 31),
    )
    action = action_create(
        objective=objective, user=r.rater, title="Visit", due_date=date(2026, 6, 1)
    )
    objective_body = {
        "title": "Grow more",
        "measure": "Orders",
        "baseline": "1",
        "target": "4",
        "due_date": "2026-12-31",
        "status": "active",
    }
    box_coverage = {
        f"{box}-{name}": str(value)
        for box, values in BOX_COVERAGE_DEFAULTS.items()
        for name, value in values.items()
    }
    requests = {
        "login": (reverse("login"), {"username": "x", "password": "y"}),
        "favicon": (reverse("favicon"), {}),
        "logout": (reverse("logout"), {}),
        "dashboard": (reverse("dashboard"), {}),
        "accounts:customer_index": (reverse("accounts:customer_index"), {}),
        "accounts:customer_detail": (reverse("accounts:customer_detail", args=[r.mine.pk]), {}),
        "scoring:round_index": (reverse("scoring:round_index"), {}),
        "scoring:round_new": (
            reverse("scoring:round_new"),
            {"name": "Next round", "date": "2027-01-15"},
        ),
        "scoring:round_detail": (reverse("scoring:round_detail", args=[round_pk]), {}),
        "scoring:factor_set": (reverse("scoring:factor_set", args=[round_pk]), factor_rows),
        "scoring:factor_weight_sum": (
            reverse("scoring:factor_weight_sum", args=[round_pk, "strength"]),
            factor_rows,
        ),
        "scoring:rating_grid": (reverse("scoring:rating_grid", args=[round_pk]), {}),
        "scoring:rating_save": (
            reverse("scoring:rating_save", args=[round_pk]),
            {"customer": r.mine.pk, "factor": r.a1.pk, "value": "7"},
        ),
        "scoring:round_account": (reverse("scoring:round_account", args=[round_pk, r.mine.pk]), {}),
        "scoring:round_export_csv": (reverse("scoring:round_export_csv", args=[round_pk]), {}),
        "accounts:customer_export": (reverse("accounts:customer_export"), {}),
        "accounts:pareto": (reverse("accounts:pareto"), {}),
        "planning:conflict_index": (reverse("planning:conflict_index"), {}),
        "planning:my_account_index": (reverse("planning:my_account_index"), {}),
        "accounts:metrics_run_status": (reverse("accounts:metrics_run_status"), {}),
        "accounts:metrics_recompute_start": (reverse("accounts:metrics_recompute_start"), {}),
        "ledger:import_index": (reverse("ledger:import_index"), {}),
        "ledger:import_detail": (reverse("ledger:import_detail", args=[ledger_import.pk]), {}),
        "ledger:import_mapping": (reverse("ledger:import_mapping", args=[ledger_import.pk]), {}),
        "ledger:import_progress": (reverse("ledger:import_progress", args=[ledger_import.pk]), {}),
        "ledger:import_errors": (reverse("ledger:import_errors", args=[ledger_import.pk]), {}),
        "ledger:import_retry": (reverse("ledger:import_retry", args=[ledger_import.pk]), {}),
        "ledger:import_delete": (reverse("ledger:import_delete", args=[ledger_import.pk]), {}),
        "planning:nps_index": (reverse("planning:nps_index"), {}),
        "planning:nps_account": (reverse("planning:nps_account", args=[r.mine.pk]), {}),
        "planning:nps_import": (reverse("planning:nps_import"), {}),
        "planning:nps_import_mapping": (
            reverse("planning:nps_import_mapping", args=[survey_waiting.pk]),
            survey_body | {"date_format": "dmy"},
        ),
        "planning:nps_import_detail": (
            reverse("planning:nps_import_detail", args=[survey_rejected.pk]),
            {},
        ),
        "planning:nps_import_errors": (
            reverse("planning:nps_import_errors", args=[survey_rejected.pk]),
            {},
        ),
        "scoring:round_team": (reverse("scoring:round_team", args=[round_pk]), {}),
        "scoring:round_member_save": (
            reverse("scoring:round_member_save", args=[round_pk]),
            {"user": r.rater.pk, "team_role": "implementer"},
        ),
        "scoring:round_stage": (
            reverse("scoring:round_stage", args=[round_pk]),
            {"status": "scoring"},
        ),
        "scoring:round_foresight_save": (
            reverse("scoring:round_foresight_save", args=[round_pk]),
            {"foresight": "on"},
        ),
        "scoring:foresight_save": (
            reverse("scoring:foresight_save", args=[round_pk]),
            {"customer": r.mine.pk, "factor": r.a1.pk, "value": "6"},
        ),
        "scoring:round_disagreement": (reverse("scoring:round_disagreement", args=[round_pk]), {}),
        "scoring:consensus_save": (
            reverse("scoring:consensus_save", args=[round_pk]),
            {"customer": r.mine.pk, "factor": r.a1.pk, "value": "6"},
        ),
        "scoring:round_meeting": (reverse("scoring:round_meeting", args=[round_pk]), {}),
        "scoring:decision_save": (
            reverse("scoring:decision_save", args=[round_pk, r.mine.pk]),
            {"choice": "deselected", "coverage": "milk_round", "rationale": "Pays late"},
        ),
        "scoring:round_decisions": (reverse("scoring:round_decisions", args=[round_pk]), {}),
        "scoring:round_sensitivity": (reverse("scoring:round_sensitivity", args=[round_pk]), {}),
        "scoring:round_adopt": (reverse("scoring:round_adopt", args=[round_pk]), {"share": "50"}),
        "scoring:round_review": (reverse("scoring:round_review", args=[round_pk]), {}),
        "scoring:round_pack": (reverse("scoring:round_pack", args=[round_pk]), {}),
        "scoring:round_image": (reverse("scoring:round_image", args=[round_pk, "png"]), {}),
        "accounts:language_set": (reverse("accounts:language_set"), {"language": "id"}),
        "api:api-root": (reverse("api:api-root"), {}),
        "api:openapi-json": (reverse("api:openapi-json"), {}),
        "api:openapi-view": (reverse("api:openapi-view"), {}),
        "api:me": (reverse("api:me"), {}),
        "api:customer_list": (reverse("api:customer_list"), {}),
        "api:customer_detail": (reverse("api:customer_detail", args=[r.mine.code]), {}),
        "api:customer_tiers": (reverse("api:customer_tiers", args=[r.mine.code]), {}),
        "api:round_list": (reverse("api:round_list"), {}),
        "api:round_detail": (reverse("api:round_detail", args=[round_pk]), {}),
        "api:round_matrix": (reverse("api:round_matrix", args=[round_pk]), {}),
        "api:decision_list": (reverse("api:decision_list"), {}),
        "api:rating_record": (
            reverse("api:rating_record", args=[round_pk]),
            {"customer": r.mine.code, "factor": r.a1.pk, "value": "7"},
        ),
        "api:consensus_record": (
            reverse("api:consensus_record", args=[round_pk]),
            {"customer": r.mine.code, "factor": r.a1.pk, "value": "6"},
        ),
        "api:contact_log_record": (
            reverse("api:contact_log_record", args=[r.mine.code]),
            {"contact": contact.pk, "channel": "phone", "touch_point": "purchase"},
        ),
        "api:customer_competitor_flag": (
            reverse("api:customer_competitor_flag", args=[r.mine.code]),
            {"targeted": True},
        ),
        "api:ledger_import_list": (reverse("api:ledger_import_list"), {}),
        "api:ledger_import_detail": (
            reverse("api:ledger_import_detail", args=[ledger_import.pk]),
            {},
        ),
        "api:ledger_import_errors": (
            reverse("api:ledger_import_errors", args=[ledger_import.pk]),
            {},
        ),
        "api:nps_import_list": (reverse("api:nps_import_list"), {}),
        "api:nps_import_detail": (
            reverse("api:nps_import_detail", args=[survey_rejected.pk]),
            {},
        ),
        "api:nps_import_errors": (
            reverse("api:nps_import_errors", args=[survey_rejected.pk]),
            {},
        ),
        "planning:plan_index": (reverse("planning:plan_index"), {}),
        "planning:plan": (reverse("planning:plan", args=[r.mine.pk, 2026]), {}),
        "planning:plan_start": (reverse("planning:plan_start", args=[r.mine.pk, 2027]), {}),
        "planning:plan_texts": (
            reverse("planning:plan_texts", args=[plan.pk]),
            {"our_goals": "Sole supplier", "relationship_stage": "closer"},
        ),
        "planning:objective_add": (
            reverse("planning:objective_add", args=[plan.pk]),
            objective_body,
        ),
        "planning:objective_edit": (
            reverse("planning:objective_edit", args=[objective.pk]),
            {f"o{objective.pk}-{key}": value for key, value in objective_body.items()},
        ),
        "planning:objective_delete": (
            reverse("planning:objective_delete", args=[objective.pk]),
            {},
        ),
        "planning:objective_value_add": (
            reverse("planning:objective_value_add", args=[objective.pk]),
            {"date": "2026-05-01", "value": "2"},
        ),
        "planning:action_add": (
            reverse("planning:action_add", args=[objective.pk]),
            {"title": "Call", "due_date": "2026-07-01", "status": "open"},
        ),
        "planning:action_status": (
            reverse("planning:action_status", args=[action.pk]),
            {"status": "done"},
        ),
        "planning:plan_export": (reverse("planning:plan_export", args=[plan.pk]), {}),
        "planning:plan_print": (reverse("planning:plan_print", args=[2026]), {}),
        "planning:account": (reverse("planning:account", args=[r.mine.pk]), {}),
        "planning:contact_new": (
            reverse("planning:contact_new", args=[r.mine.pk]),
            {"name": "Budi", "buying_role": "influencer", "stance": "supporter"},
        ),
        "planning:contact_edit": (
            reverse("planning:contact_edit", args=[contact.pk]),
            {"name": "Dewi", "buying_role": "sponsor", "stance": "advocate"},
        ),
        "planning:contact_deactivate": (
            reverse("planning:contact_deactivate", args=[contact.pk]),
            {},
        ),
        "planning:contact_log_new": (
            reverse("planning:contact_log_new", args=[r.mine.pk]),
            {
                "date": "2026-01-05",
                "contact": contact.pk,
                "channel": "visit",
                "touch_point": "purchase",
            },
        ),
        "planning:whitespace": (reverse("planning:whitespace"), {}),
        "planning:whitespace_account": (
            reverse("planning:whitespace_account", args=[r.mine.pk]),
            {},
        ),
        "planning:product_groups": (
            reverse("planning:product_groups"),
            {"rules": "PV-* = Solar", "fallback_prefix_length": "0", "upsell_below_percent": "50"},
        ),
        "planning:coverage_settings": (reverse("planning:coverage_settings"), box_coverage),
        "planning:resources": (reverse("planning:resources"), {}),
        "planning:account_coverage": (
            reverse("planning:account_coverage", args=[r.mine.pk]),
            {"person_days": "3"},
        ),
    }
    return requests[name]


def test_every_url_has_an_access_entry():
    assert _url_names() == set(ACCESS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ACCESS))
def test_each_role_gets_the_access_of_the_table(client, small_round, users, role, name):
    stage_set(small_round, ScoringRound.Status.MEETING)
    client.force_login(users[role])
    url, body = _request(small_round, name)
    expected_get, expected_post = ACCESS[name]
    assert client.get(url).status_code == expected_get[role], f"GET {url} as {role}"
    client.force_login(users[role])  # a POST to logout signed the user out
    # The API takes JSON bodies; the pages take forms.
    content_type = {"content_type": "application/json"} if name.startswith("api:") else {}
    response = client.post(url, body, **content_type)
    assert response.status_code == expected_post[role], f"POST {url} as {role}"


def test_manager_posting_a_rating_for_another_managers_account_changes_nothing(client, rated_round):
    r = rated_round
    before = list(Rating.objects.values_list("pk", "value"))
    client.force_login(r.rater)
    response = client.post(
        reverse("scoring:rating_save", args=[r.round.pk]),
        {"customer": r.other.pk, "factor": r.a1.pk, "value": "3"},
    )
    assert response.status_code == 403
    assert list(Rating.objects.values_list("pk", "value")) == before


def test_team_rates_any_account(client, small_round, users):
    r = small_round
    client.force_login(users["team"])
    response = client.post(
        reverse("scoring:rating_save", args=[r.round.pk]),
        {"customer": r.other.pk, "factor": r.a1.pk, "value": "3"},
    )
    assert response.status_code == 200
    assert Rating.objects.get(customer=r.other, rater=users["team"]).value == Decimal("3")


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
