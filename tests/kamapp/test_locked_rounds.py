"""Decided rounds never change: not by deleting people or accounts, not through the admin."""

from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from accounts.models import Competitor
from scoring.models import Factor, Rating, ScoringRound
from tests.factories import CompetitorFactory, FactorFactory, RatingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_rating():
    factor = FactorFactory(round__decided=True, weight=Decimal("100"))
    return RatingFactory(factor=factor, competitor=CompetitorFactory())


def test_a_user_with_ratings_cannot_be_deleted(decided_rating):
    with pytest.raises(ProtectedError):
        decided_rating.rater.delete()
    assert Rating.objects.filter(pk=decided_rating.pk).exists()


def test_a_rated_customer_or_competitor_cannot_be_deleted(decided_rating):
    with pytest.raises(ProtectedError):
        decided_rating.customer.delete()
    with pytest.raises(ProtectedError):
        Competitor.objects.get(pk=decided_rating.competitor_id).delete()
    assert Rating.objects.count() == 1


def test_the_admin_deactivates_users_instead_of_deleting_them(admin_client, decided_rating):
    rater = decided_rating.rater
    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "users_deactivate", "_selected_action": [rater.pk]},
        follow=True,
    )
    assert "1 user deactivated" in response.content.decode()
    rater.refresh_from_db()
    assert not rater.is_active
    assert Rating.objects.filter(rater=rater).count() == 1


def test_the_admin_refuses_to_delete_a_user_with_ratings(admin_client, decided_rating):
    url = reverse("admin:auth_user_delete", args=[decided_rating.rater.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200  # the refusal page, listing what protects the user
    assert "Cannot delete user" in response.content.decode()
    assert Rating.objects.count() == 1


def test_the_admin_refuses_a_new_weight_on_a_decided_rounds_factor(admin_client, decided_rating):
    factor = decided_rating.factor
    url = reverse("admin:scoring_factor_change", args=[factor.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # shown read-only
    data = {
        "round": factor.round_id,
        "axis": factor.axis,
        "name": factor.name,
        "weight": "174",
        "consideration": factor.consideration,
        "position": factor.position,
    }
    assert admin_client.post(url, data).status_code == 403
    factor.refresh_from_db()
    assert factor.weight == Decimal("100")
    delete = reverse("admin:scoring_factor_delete", args=[factor.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Factor.objects.filter(pk=factor.pk).exists()


def test_a_decided_round_is_read_only_in_the_admin_with_its_factors(admin_client, decided_rating):
    scoring_round = decided_rating.round
    page = admin_client.get(reverse("admin:scoring_scoringround_change", args=[scoring_round.pk]))
    content = page.content.decode()
    assert 'name="_save"' not in content
    assert 'name="factors-0-weight"' not in content  # the inline has no inputs
    delete = reverse("admin:scoring_scoringround_delete", args=[scoring_round.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ScoringRound.objects.filter(pk=scoring_round.pk).exists()


def test_a_round_in_scoring_stays_editable_in_the_admin(admin_client):
    factor = FactorFactory(round__status=ScoringRound.Status.SCORING)
    page = admin_client.get(reverse("admin:scoring_factor_change", args=[factor.pk]))
    assert 'name="_save"' in page.content.decode()


def test_a_user_without_ratings_can_still_be_deleted():
    user = UserFactory()
    user.delete()
