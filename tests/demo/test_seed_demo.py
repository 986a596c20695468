"""The demo company: believable, Pareto-skewed, and safe to seed twice."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum

from accounts.models import Competitor, Customer, LedgerLine, Segment
from scoring.models import Axis, Factor, Rating, ScoringRound

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Customer, Segment, Competitor, LedgerLine, ScoringRound, Factor, Rating)
    } | {"users": get_user_model().objects.count()}


def test_seeding_twice_duplicates_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert first["Customer"] == 300
    assert first["Segment"] == 4
    assert first["Competitor"] == 3
    assert first["LedgerLine"] > 10_000


def test_top_fifth_of_customers_hold_about_80_percent_of_revenue(seeded):
    totals = sorted(
        (
            float(row["total"])
            for row in LedgerLine.objects.values("customer").annotate(total=Sum("amount"))
        ),
        reverse=True,
    )
    top_share = sum(totals[: Customer.objects.count() // 5]) / sum(totals)
    assert 0.75 <= top_share <= 0.85


def test_ledger_covers_three_years_with_credit_notes(seeded):
    dates = LedgerLine.objects.values_list("invoice_date", flat=True)
    span_days = (max(dates) - min(dates)).days
    assert 3 * 365 - 62 <= span_days <= 3 * 365 + 31
    assert LedgerLine.objects.filter(amount__lt=0, invoice_number__startswith="C").exists()


def test_current_round_is_in_its_meeting_with_a_team_and_last_years_round_is_decided(seeded):
    current = ScoringRound.objects.get(name="Key account selection 2026")
    previous = ScoringRound.objects.get(name="Key account selection 2025")
    assert current.status == ScoringRound.Status.MEETING
    assert previous.status == ScoringRound.Status.DECIDED
    assert current.members.filter(team_role="coordinator", user__username="team").exists()
    assert previous.decisions.filter(choice="key").exists()
    # Two people rated some cells: the meeting has disagreement to work on.
    assert Rating.objects.filter(round=current, rater__username="team").exists()


def test_round_has_six_and_five_factors_weighing_100_each(seeded):
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    for axis, count in ((Axis.ATTRACTIVENESS, 6), (Axis.STRENGTH, 5)):
        factors = scoring_round.factors.filter(axis=axis)
        assert factors.count() == count
        assert factors.aggregate(total=Sum("weight"))["total"] == 100


def test_most_accounts_are_rated(seeded):
    rated = Rating.objects.values("customer").distinct().count()
    assert rated / Customer.objects.count() > 0.8


def test_demo_users_are_created_only_with_debug_on(settings):
    settings.DEBUG = False
    call_command("seed_demo")
    assert not get_user_model().objects.filter(username__in=["admin", "manager", "team"]).exists()
    settings.DEBUG = True
    call_command("seed_demo")
    manager = get_user_model().objects.get(username="manager")
    assert manager.check_password("demo")


def test_manager_owns_a_quarter_of_the_accounts(seeded):
    manager = get_user_model().objects.get(username="manager")
    assert manager.owned_customers.count() == 75


def test_if_empty_leaves_an_existing_database_alone(settings):
    Customer.objects.create(code="X1", name="Existing")
    call_command("seed_demo", "--if-empty")
    assert Customer.objects.count() == 1


def test_rounds_went_through_their_stages_and_decisions_as_a_team_would(seeded):
    previous = ScoringRound.objects.get(name="Key account selection 2025")
    updates = LogEntry.objects.get_for_object(previous).filter(action=LogEntry.Action.UPDATE)
    statuses = [entry.changes_dict["status"][1] for entry in updates.order_by("timestamp", "pk")]
    assert statuses == ["scoring", "meeting", "decided"]
    # Recorded by the coordinator through the decision service, which names who decided.
    assert set(previous.decisions.values_list("decided_by__username", flat=True)) == {"team"}
    assert previous.members.get(team_role="coordinator").user.username == "team"


def test_without_sign_in_users_a_colleague_coordinates_the_rounds(settings):
    settings.DEBUG = False
    call_command("seed_demo")
    current = ScoringRound.objects.get(name="Key account selection 2026")
    assert current.status == ScoringRound.Status.MEETING
    assert current.members.get(team_role="coordinator").user.username == "sari"


def test_last_years_round_has_a_three_year_view_of_a_few_accounts(seeded):
    from scoring.models import ForesightRating
    from scoring.selectors import round_foresight, round_matrix

    previous = ScoringRound.objects.get(name="Key account selection 2025")
    assert previous.foresight
    assert ForesightRating.objects.filter(round=previous).values("customer").distinct().count() > 1
    matrix = round_matrix(scoring_round=previous)
    foresight = round_foresight(matrix=matrix)
    assert 1 <= len(foresight.arrow_rows(matrix.placed_rows())) <= 5
    current = ScoringRound.objects.get(name="Key account selection 2026")
    assert not current.foresight
