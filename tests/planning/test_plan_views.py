import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.services import metrics_recompute
from planning.models import Objective, PlanAction
from planning.selectors import plan_index_rows
from planning.services import action_create, objective_create, objective_value_record, plan_start
from scoring.models import Decision
from tests.factories import CustomerFactory, LedgerLineFactory, ScoringRoundFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(manager_user):
    customer = CustomerFactory(code="K1", name="Key One", owner=manager_user)
    return plan_start(customer=customer, year=2026, user=manager_user)


def _objective(plan, **fields) -> Objective:
    """An objective of the plan: active, from 4 to 8 orders a quarter by the year's end."""
    values = {
        "title": "More orders",
        "measure": "Orders a quarter",
        "baseline": Decimal(4),
        "target": Decimal(8),
        "due_date": dt.date(2026, 12, 31),
        "status": Objective.Status.ACTIVE,
    } | fields
    return objective_create(plan=plan, user=plan.created_by, **values)


@pytest.fixture
def objective(plan):
    return _objective(plan)


def test_an_htmx_objective_answers_with_the_objectives_fragment(client, plan, manager_user):
    client.force_login(manager_user)
    response = client.post(
        reverse("planning:objective_add", args=[plan.pk]),
        {
            "title": "More orders",
            "measure": "Orders",
            "baseline": "4",
            "target": "8",
            "due_date": "2026-12-31",
            "status": "active",
        },
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="plan-objectives"')
    assert "More orders" in html and "<html" not in html


def test_a_refused_objective_answers_422_with_the_reason(client, plan, manager_user):
    client.force_login(manager_user)
    response = client.post(
        reverse("planning:objective_add", args=[plan.pk]),
        {
            "title": "Same",
            "measure": "x",
            "baseline": "4",
            "target": "4",
            "due_date": "2026-12-31",
            "status": "active",
        },
        **HTMX,
    )
    assert response.status_code == 422
    assert "The target must differ from the baseline" in response.content.decode()
    assert not plan.objectives.exists()


def test_typed_values_show_progress_and_overdue_actions_are_highlighted(
    client, plan, objective, manager_user, monkeypatch
):
    objective_value_record(
        objective=objective, user=manager_user, date=dt.date(2026, 4, 1), value=Decimal(5)
    )
    objective_value_record(
        objective=objective, user=manager_user, date=dt.date(2026, 5, 1), value=Decimal(7)
    )
    today = dt.date(2026, 6, 10)
    monkeypatch.setattr("planning.views.plans.timezone.localdate", lambda: today)
    action_create(
        objective=objective,
        user=manager_user,
        title="Late call",
        due_date=today - dt.timedelta(days=1),
    )
    action_create(objective=objective, user=manager_user, title="Due today", due_date=today)
    action_create(
        objective=objective,
        user=manager_user,
        title="Done late",
        due_date=dt.date(2026, 1, 1),
        status=PlanAction.Status.DONE,
    )
    client.force_login(manager_user)
    html = client.get(reverse("planning:plan", args=[plan.customer_id, 2026])).content.decode()
    # The latest value, 7: (7 - 4) / (8 - 4) = 75 %.
    assert "75.0 %" in html
    assert html.count("data-overdue") == 1
    overdue_row = html.split("data-overdue")[1].split("</tr>")[0]
    assert "Late call" in overdue_row


def test_a_reader_sees_the_plan_without_forms(client, plan, team_user):
    other_manager = UserFactory(username="m2", role="sales_manager")
    client.force_login(other_manager)
    html = client.get(reverse("planning:plan", args=[plan.customer_id, 2026])).content.decode()
    assert "Key One" in html
    assert reverse("planning:plan_texts", args=[plan.pk]) not in html
    response = client.post(reverse("planning:plan_texts", args=[plan.pk]), {"our_goals": "x"})
    assert response.status_code == 403


def test_the_export_holds_the_objectives_and_their_progress(client, plan, objective, manager_user):
    client.force_login(manager_user)
    response = client.get(reverse("planning:plan_export", args=[plan.pk]))
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Plan", "Objectives", "Values", "Actions"]
    rows = list(workbook["Objectives"].values)
    assert rows[1][0] == "More orders"
    assert rows[1][4:6] == (4.0, 8.0)


def test_the_print_page_puts_each_plan_on_its_own_page(client, plan, manager_user):
    other = CustomerFactory(code="K2", name="Key Two", owner=manager_user)
    plan_start(customer=other, year=2026, user=manager_user)
    client.force_login(manager_user)
    html = client.get(reverse("planning:plan_print", args=[2026])).content.decode()
    assert html.count('class="print-page"') == 2
    one = client.get(reverse("planning:plan_print", args=[2026]), {"customer": other.pk})
    assert one.content.decode().count('class="print-page"') == 1


def test_the_index_lists_key_accounts_and_other_planned_accounts(client, plan, manager_user):
    scoring_round = ScoringRoundFactory(status="decided")
    key = CustomerFactory(code="K9", name="Aardvark Key")
    developing = CustomerFactory(code="D1", name="Bison Developing")
    kept = CustomerFactory(code="M9", name="Cobra Maintained")
    for customer, choice in ((key, "key"), (developing, "key_development"), (kept, "maintenance")):
        Decision.objects.create(
            round=scoring_round, customer=customer, choice=choice, coverage="farmer"
        )
    today = dt.date(2026, 6, 10)
    objective = _objective(plan)
    for due, status in [
        (dt.date(2026, 6, 9), "open"),  # overdue
        (dt.date(2026, 6, 1), "in_progress"),  # overdue
        (today, "open"),  # due today
        (dt.date(2026, 1, 1), "done"),
    ]:
        action_create(
            objective=objective, user=manager_user, title="Step", due_date=due, status=status
        )
    # A draft objective is not under way: neither it nor its overdue action counts, on the
    # index as on My accounts (both read `plan_glance`).
    draft = _objective(plan, title="Maybe later", status=Objective.Status.DRAFT)
    action_create(
        objective=draft, user=manager_user, title="Draft step", due_date=dt.date(2026, 6, 1)
    )
    rows = plan_index_rows(year=2026, today=today)
    # Key and Key development by decision; Key One (not decided key) because it has a plan.
    assert [(r.customer.code, r.glance is not None) for r in rows] == [
        ("K9", False),
        ("D1", False),
        ("K1", True),
    ]
    assert (rows[2].glance.objectives, rows[2].glance.overdue_actions) == (1, 2)
    client.force_login(manager_user)
    response = client.get(reverse("planning:plan_index"), {"year": "2026"})
    assert response.status_code == 200
    row = response.content.decode().split('data-customer="K1"')[1].split("</tr>")[0]
    # The page counts to the real today, past every due date here: three open actions.
    assert '<span class="badge warn">3</span>' in row


def test_the_index_opens_any_accounts_plan_by_code(client, plan, manager_user):
    client.force_login(manager_user)
    response = client.get(reverse("planning:plan_index"), {"year": "2027", "code": "k1"})
    assert response.url == reverse("planning:plan", args=[plan.customer_id, 2027])


def test_the_plan_shows_the_stage_the_ledger_suggests(client, plan, manager_user):
    LedgerLineFactory(customer=plan.customer, invoice_date=dt.date(2026, 4, 1))
    metrics_recompute()  # one purchase this period, none before: a new account
    client.force_login(manager_user)
    html = client.get(reverse("planning:plan", args=[plan.customer_id, 2026])).content.decode()
    assert 'data-suggested-stage="first_approach"' in html
    assert "First approach" in html


def test_a_refused_new_objective_keeps_what_was_typed_and_names_the_field(
    client, plan, manager_user
):
    client.force_login(manager_user)
    response = client.post(
        reverse("planning:objective_add", args=[plan.pk]),
        {
            "title": "Keep me",
            "measure": "Orders",
            "baseline": "4",
            "target": "",
            "status": "active",
        },
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="Keep me"' in html
    assert "Target: This field is required." in html


def test_deleting_an_active_objective_is_refused_with_the_reason(
    client, plan, objective, manager_user
):
    client.force_login(manager_user)
    response = client.post(reverse("planning:objective_delete", args=[objective.pk]), **HTMX)
    assert response.status_code == 422
    assert "Only a draft objective can be deleted." in response.content.decode()
    assert plan.objectives.count() == 1


def test_a_draft_is_made_active_through_its_edit_form(client, plan, manager_user):
    draft = _objective(plan, title="Copied", status=Objective.Status.DRAFT)
    client.force_login(manager_user)
    body = {
        "title": "Copied",
        "measure": "Orders a quarter",
        "baseline": "4",
        "target": "9",
        "due_date": "2026-12-31",
        "status": "active",
    }
    response = client.post(
        reverse("planning:objective_edit", args=[draft.pk]),
        {f"o{draft.pk}-{key}": value for key, value in body.items()},
        **HTMX,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.status, draft.target) == ("active", Decimal(9))


def test_marking_an_overdue_action_done_clears_its_highlight(client, plan, objective, manager_user):
    action = action_create(
        objective=objective, user=manager_user, title="Call", due_date=dt.date(2020, 1, 1)
    )
    client.force_login(manager_user)
    url = reverse("planning:plan", args=[plan.customer_id, 2026])
    assert "data-overdue" in client.get(url).content.decode()
    response = client.post(
        reverse("planning:action_status", args=[action.pk]), {"status": "done"}, **HTMX
    )
    assert response.status_code == 200
    assert "data-overdue" not in response.content.decode()
