"""The NPS as a derived strength factor (the customer's view of us), rated from NPS bands."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planning.models import NpsAnswer
from planning.services import survey_import_create, survey_import_run
from scoring.models import DerivedRating, Factor
from scoring.selectors import round_matrix
from scoring.services import cell_check, derived_ratings_refresh
from tests.fixtures.rounds import factor_set_post

pytestmark = pytest.mark.django_db

BANDS = [[-100, 0], [0, 5], [50, 9]]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def nps_round(rated_round):
    """Quality (strength) is derived from the NPS by bands; the rest as the rated round."""
    r = rated_round
    Factor.objects.filter(pk=r.s1.pk).update(metric="nps", derivation="bands", bands=BANDS)
    r.s1.refresh_from_db()
    return r


def _answers(customer, scores):
    NpsAnswer.objects.bulk_create(
        NpsAnswer(customer=customer, respondent=f"r{i}", answered_on=dt.date(2026, 5, 2), score=s)
        for i, s in enumerate(scores)
    )


@pytest.mark.parametrize(
    ("scores", "rating"),
    [
        ([0, 0, 0, 0, 0], "0"),  # −100: the lowest band
        ([9, 7, 7, 7, 6], "5"),  # 0 exactly: the band from 0
        ([9, 9, 7, 7, 6, 6, 10, 10, 9, 8], "5"),  # 5 − 2 of 10 = 30
        ([9, 9, 9, 7, 7, 6], "5"),  # 100 × 2/6 = 33.3
        ([9, 9, 9, 7], None),  # four answers: too few, unrated
        ([10, 10, 10, 9, 7, 7], "9"),  # 100 × 4/6 = 66.7
    ],
)
def test_bands_rate_our_strength_from_the_nps(nps_round, scores, rating):
    r = nps_round
    _answers(r.mine, scores)
    derived_ratings_refresh()
    stored = DerivedRating.objects.filter(factor=r.s1, customer=r.mine).first()
    assert (stored and stored.value) == (rating and Decimal(rating))


def test_the_matrix_takes_our_derived_cell_and_the_competitors_rated_ones(nps_round):
    r = nps_round
    _answers(r.mine, [9, 9, 7, 6, 7])  # 2 − 1 of 5 = 20 → band 5
    derived_ratings_refresh()
    position = round_matrix(scoring_round=r.round).by_customer()[r.mine.pk]
    # Us: 0.5 × 5 (derived, replacing the owner's 8) + 0.5 × 6 = 5.5; Rival: 4.
    assert position.our_strength == pytest.approx(5.5)
    assert position.relative_strength == pytest.approx(10 * 5.5 / 9.5)


def test_an_import_rates_the_factor_afresh(
    nps_round, admin_user, django_capture_on_commit_callbacks
):
    r = nps_round
    text = "Account,Respondent,Date,Score\n" + "".join(
        f"{r.mine.code},P{i},02/05/2026,10\n" for i in range(5)
    )
    upload = survey_import_create(
        uploaded_file=SimpleUploadedFile("n.csv", text.encode()), user=admin_user
    )
    with django_capture_on_commit_callbacks(execute=True):
        survey_import_run(
            survey_import=upload,
            mapping={"account_code": "Account", "respondent": "Respondent", "answered_on": "Date",
                     "score": "Score"},
            date_format="dmy",
            columns=["Account", "Respondent", "Date", "Score"],
            user=admin_user,
            today=dt.date(2026, 6, 30),
        )  # fmt: skip
    assert DerivedRating.objects.get(factor=r.s1, customer=r.mine).value == Decimal("9")


def test_our_own_cell_is_derived_but_a_competitors_is_rated_by_people(nps_round):
    r = nps_round
    with pytest.raises(ValidationError, match="derived"):
        cell_check(scoring_round=r.round, factor=r.s1, competitor=None)
    cell_check(scoring_round=r.round, factor=r.s1, competitor=r.competitor)


def test_the_nps_rates_strength_factors_only(nps_round):
    r = nps_round
    factor = Factor(round=r.round, axis="attractiveness", name="Loyalty", weight=0)
    factor.consideration, factor.metric, factor.derivation = "pure", "nps", "bands"
    factor.bands = BANDS
    with pytest.raises(ValidationError, match="strength factors only"):
        factor.full_clean()
    r.s2.metric, r.s2.derivation = "revenue", "percentile"
    with pytest.raises(ValidationError, match="Only attractiveness factors can be derived"):
        r.s2.full_clean()


def test_the_factor_page_binds_a_strength_factor_to_the_nps(client, small_round, team_user):
    r = small_round
    _answers(r.mine, [10, 10, 10, 9, 7, 7])  # 100 × 4/6 = 66.7 → band 9
    client.force_login(team_user)
    quality = {"id": r.s1.pk, "name": "Quality", "weight": "50"}
    quality |= {"metric": "nps", "derivation": "bands", "bands": "-100=0; 0=5; 50=9"}
    delivery = {"id": r.s2.pk, "name": "Delivery", "weight": "50"}
    data = factor_set_post("strength", [quality, delivery], drawn_from=r.round)
    response = client.post(reverse("scoring:factor_set", args=[r.round.pk]), data)
    assert response.status_code == 302
    assert Factor.objects.get(pk=r.s1.pk).bands == BANDS
    assert DerivedRating.objects.get(factor=r.s1, customer=r.mine).value == Decimal("9")


def test_each_axis_offers_only_its_own_metrics(client, small_round, team_user):
    client.force_login(team_user)
    page = client.get(reverse("scoring:factor_set", args=[small_round.round.pk]))
    attractiveness = page.context["sections"][0]["formset"].forms[0].fields["metric"].choices
    strength = page.context["sections"][1]["formset"].forms[0].fields["metric"].choices
    assert [value for value, _label in strength] == ["", "nps"]
    assert "nps" not in [value for value, _label in attractiveness]
    assert "revenue" in [value for value, _label in attractiveness]
