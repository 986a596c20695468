"""The three-year view: who records it and when, the expected position, and where it shows."""

import csv
import io
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from scoring import chart_arrows, charts, engine
from scoring.exports import round_export_table
from scoring.models import ForesightRating, ScoringRound
from scoring.selectors import round_foresight, round_matrix
from scoring.services import foresight_record, round_foresight_set
from tests.factories import FactorFactory, ScoringRoundFactory
from tests.fixtures.rounds import stage_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def foresight_round(team_round):
    """The team's round (Alpha: attractiveness 0.6 × 7 + 0.4 × 5 = 6.2, relative strength
    6.36, key) with the three-year view on, in the meeting."""
    ScoringRound.objects.filter(pk=team_round.round.pk).update(foresight=True)
    stage_set(team_round, ScoringRound.Status.MEETING)
    return team_round


def foresee(r, raw_value: str, *, factor="a1", customer="mine", user=None):
    return foresight_record(
        scoring_round=r.round,
        customer=getattr(r, customer),
        factor=getattr(r, factor),
        raw_value=raw_value,
        user=user or r.coordinator,
    )


def expected_of(r, customer="mine"):
    matrix = round_matrix(scoring_round=r.round)
    foresight = round_foresight(matrix=matrix)
    row = [c.pk for c in matrix.customers].index(getattr(r, customer).pk)
    return foresight.position(row)


# --- Recording ---------------------------------------------------------------------------


def test_the_coordinator_records_and_clears_a_three_year_value(foresight_round):
    r = foresight_round
    foresee(r, "7,5")
    assert ForesightRating.objects.get(customer=r.mine, factor=r.a1).value == Decimal("7.50")
    foresee(r, "8")
    assert ForesightRating.objects.get(customer=r.mine, factor=r.a1).value == Decimal("8")
    foresee(r, "")
    assert not ForesightRating.objects.exists()


def test_only_whoever_records_the_consensus_records_three_year_values(foresight_round):
    with pytest.raises(PermissionDenied):
        foresee(foresight_round, "7", user=foresight_round.member)
    assert not ForesightRating.objects.exists()


@pytest.mark.parametrize("status", ["draft", "scoring", "decided", "archived"])
def test_three_year_values_are_recorded_only_in_the_meeting(foresight_round, status):
    stage_set(foresight_round, status)
    with pytest.raises(ValidationError) as refused:
        foresee(foresight_round, "7")
    expected = "locked" if status in ("decided", "archived") else "not_meeting"
    assert refused.value.error_list[0].code == expected
    assert not ForesightRating.objects.exists()


def test_a_round_without_the_option_records_no_three_year_value(foresight_round):
    ScoringRound.objects.filter(pk=foresight_round.round.pk).update(foresight=False)
    foresight_round.round.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        foresee(foresight_round, "7")
    assert refused.value.error_list[0].code == "no_foresight"


def test_strength_factors_have_no_three_year_value(foresight_round):
    with pytest.raises(ValidationError) as refused:
        foresee(foresight_round, "7", factor="s1")
    assert refused.value.error_list[0].code == "wrong_axis"


def test_a_factor_of_another_round_is_refused(foresight_round):
    r = foresight_round
    stranger = FactorFactory(round=ScoringRoundFactory(meeting=True))
    with pytest.raises(ValidationError) as refused:
        foresight_record(
            scoring_round=r.round,
            customer=r.mine,
            factor=stranger,
            raw_value="7",
            user=r.coordinator,
        )
    assert refused.value.error_list[0].code == "wrong_round"


@pytest.mark.parametrize(
    ("raw", "code"),
    [("nan", "invalid"), ("٧", "digits"), ("10.5", "out_of_range"), ("7.555", "decimals")],
)
def test_three_year_values_follow_the_rating_grammar(foresight_round, raw, code):
    with pytest.raises(ValidationError) as refused:
        foresee(foresight_round, raw)
    assert refused.value.error_list[0].code == code
    assert not ForesightRating.objects.exists()


def test_the_database_refuses_a_value_outside_0_to_10(foresight_round):
    from django.db import IntegrityError, transaction

    r = foresight_round
    with pytest.raises(IntegrityError), transaction.atomic():
        ForesightRating.objects.create(round=r.round, customer=r.mine, factor=r.a1, value=11)


def test_three_year_values_are_in_the_rounds_history(foresight_round, client):
    from scoring.selectors import round_history

    foresee(foresight_round, "7")
    rows = round_history(scoring_round=foresight_round.round, reader=foresight_round.coordinator)
    assert any("Size" in row.what and row.changes[0].new == "7.00" for row in rows)


# --- The round's option ----------------------------------------------------------------------


def test_the_option_is_set_until_the_round_is_decided(foresight_round):
    r = foresight_round
    round_foresight_set(scoring_round=r.round, foresight=False, user=r.coordinator)
    assert ScoringRound.objects.get(pk=r.round.pk).foresight is False
    stage_set(r, ScoringRound.Status.DECIDED)
    with pytest.raises(ValidationError) as refused:
        round_foresight_set(scoring_round=r.round, foresight=True, user=r.coordinator)
    assert refused.value.error_list[0].code == "locked"
    assert ScoringRound.objects.get(pk=r.round.pk).foresight is False


def test_sales_managers_do_not_change_the_option(foresight_round):
    with pytest.raises(PermissionDenied):
        round_foresight_set(
            scoring_round=foresight_round.round, foresight=False, user=foresight_round.rater
        )


def test_a_new_round_takes_the_option_from_its_form(client, team_user):
    client.force_login(team_user)
    response = client.post(
        reverse("scoring:round_new"), {"name": "Next", "date": "2027-01-15", "foresight": "on"}
    )
    assert response.status_code == 302
    assert ScoringRound.objects.get(name="Next").foresight is True


def test_the_team_page_saves_the_option_and_refuses_it_on_a_decided_round(
    client, foresight_round, admin_user
):
    r = foresight_round
    client.force_login(admin_user)
    url = reverse("scoring:round_foresight_save", args=[r.round.pk])
    assert client.post(url, {}).status_code == 302
    assert ScoringRound.objects.get(pk=r.round.pk).foresight is False
    stage_set(r, ScoringRound.Status.DECIDED)
    client.post(url, {"foresight": "on"})
    assert ScoringRound.objects.get(pk=r.round.pk).foresight is False
    page = client.get(reverse("scoring:round_team", args=[r.round.pk])).content.decode()
    assert "data-foresight-form" not in page


def test_the_admin_reads_a_decided_rounds_option_without_changing_it(
    client, foresight_round, admin_user
):
    stage_set(foresight_round, ScoringRound.Status.DECIDED)
    client.force_login(admin_user)
    url = reverse("admin:scoring_scoringround_change", args=[foresight_round.round.pk])
    response = client.post(url, {"name": "Renamed", "foresight": ""})
    assert response.status_code == 403
    assert ScoringRound.objects.get(pk=foresight_round.round.pk).foresight is True


# --- The expected position ---------------------------------------------------------------------


def test_the_expected_attractiveness_is_the_weighted_three_year_values(foresight_round):
    r = foresight_round
    foresee(r, "7", factor="a1")  # Size, weight 60
    foresee(r, "4.5", factor="a2")  # Openness, weight 40
    expected = expected_of(r)
    assert expected.attractiveness == pytest.approx(6.0, abs=1e-12)  # (60×7 + 40×4.5) / 100
    assert expected.box == engine.KEY  # strength is today's: 6.36 ≥ 5


def test_a_value_exactly_on_the_cut_off_is_high(foresight_round):
    r = foresight_round
    # 60 × 1.82 + 40 × 9.77 = 500 exactly; in floating point (109.2 + 390.8) / 100 < 5.
    assert (60 * 1.82 + 40 * 9.77) / 100 < 5
    foresee(r, "1.82", factor="a1")
    foresee(r, "9.77", factor="a2")
    assert expected_of(r).box == engine.KEY


def test_just_below_the_cut_off_is_low(foresight_round):
    r = foresight_round
    foresee(r, "5", factor="a1")
    foresee(r, "4.99", factor="a2")  # 4.996
    expected = expected_of(r)
    assert expected.attractiveness == pytest.approx(4.996)
    assert expected.box == engine.MAINTENANCE


def test_an_account_missing_a_three_year_value_is_incomplete_and_has_no_arrow(foresight_round):
    r = foresight_round
    foresee(r, "7", factor="a1")
    matrix = round_matrix(scoring_round=r.round)
    foresight = round_foresight(matrix=matrix)
    expected = expected_of(r)
    assert not expected.complete
    assert expected.box == engine.NOT_PLACED
    assert len(foresight.arrow_rows(matrix.placed_rows())) == 0
    figure = charts.matrix_figure(matrix=matrix, rows=matrix.placed_rows())
    before = len(figure["layout"]["annotations"])
    chart_arrows.foresight_arrows_add(figure, foresight=foresight, rows=matrix.placed_rows())
    assert len(figure["layout"]["annotations"]) == before


def test_the_arrow_runs_from_today_to_the_expected_position(foresight_round):
    r = foresight_round
    foresee(r, "7", factor="a1")
    foresee(r, "4.5", factor="a2")
    matrix = round_matrix(scoring_round=r.round)
    figure = charts.matrix_figure(matrix=matrix, rows=matrix.placed_rows())
    chart_arrows.foresight_arrows_add(
        figure, foresight=round_foresight(matrix=matrix), rows=matrix.placed_rows()
    )
    arrows = [a for a in figure["layout"]["annotations"] if a.get("arrowhead") == 2]
    assert [(a["ax"], a["ay"], a["x"], a["y"]) for a in arrows] == [(6.36, 6.2, 6.36, 6.0)]
    flipped = figure["layout"]["meta"]["strength_high_on_right"]["annotations"]
    assert sum(1 for a in flipped if a.get("arrowhead") == 2) == 1


def test_nothing_is_shown_during_blind_scoring(foresight_round):
    r = foresight_round
    foresee(r, "7", factor="a1")
    foresee(r, "4.5", factor="a2")
    stage_set(r, ScoringRound.Status.SCORING)
    assert round_foresight(matrix=round_matrix(scoring_round=r.round)) is None


def test_the_engine_places_other_ratings_with_todays_strength():
    result = engine.matrix_compute(
        attractiveness_ratings=np.array([[9.0, 5.0], [2.0, 2.0]]),
        attractiveness_weights=np.array([60.0, 40.0]),
        our_strength_ratings=np.array([[7.0], [3.0]]),
        competitor_strength_ratings=np.zeros((2, 0, 1)),
        strength_weights=np.array([100.0]),
        attractiveness_cutoff=5,
        strength_cutoff=5,
    )
    attractiveness, box = engine.matrix_expected(
        result,
        attractiveness_ratings=np.array([[7.0, 4.5], [np.nan, 9.0]]),
        attractiveness_weights=np.array([60.0, 40.0]),
        attractiveness_cutoff=5,
        strength_cutoff=5,
    )
    assert attractiveness[0] == pytest.approx(6.0)
    assert np.isnan(attractiveness[1])
    assert list(box) == [engine.KEY, engine.NOT_PLACED]


# --- Pages and exports ---------------------------------------------------------------------------


def _matrix_page(client, r, user, **params):
    client.force_login(user)
    return client.get(reverse("scoring:round_detail", args=[r.round.pk]), params)


def _foresight_arrows(response) -> list[dict]:
    return [
        a for a in response.context["figure"]["layout"]["annotations"] if a.get("arrowhead") == 2
    ]


def test_the_matrix_page_draws_the_arrows_when_asked(client, foresight_round):
    r = foresight_round
    foresee(r, "7", factor="a1")
    foresee(r, "4.5", factor="a2")
    assert _foresight_arrows(_matrix_page(client, r, r.coordinator)) == []
    response = _matrix_page(client, r, r.coordinator, foresight="1")
    assert len(_foresight_arrows(response)) == 1
    page = response.content.decode()
    assert "Attractiveness in 3 years" in page and "Box in 3 years" in page
    assert "data-foresight-attractiveness>6.00<" in page
    assert "1 of 1 accounts on the matrix has a full three-year position" in page


def test_the_matrix_page_shows_no_three_year_view_without_the_option(client, foresight_round):
    r = foresight_round
    foresee(r, "7", factor="a1")
    foresee(r, "4.5", factor="a2")
    ScoringRound.objects.filter(pk=r.round.pk).update(foresight=False)
    response = _matrix_page(client, r, r.coordinator, foresight="1")
    assert _foresight_arrows(response) == []
    assert "Box in 3 years" not in response.content.decode()
    assert "data-foresight-toggle" not in response.content.decode()


def test_the_matrix_page_shows_no_three_year_view_during_scoring(client, foresight_round):
    r = foresight_round
    foresee(r, "7", factor="a1")
    foresee(r, "4.5", factor="a2")
    stage_set(r, ScoringRound.Status.SCORING)
    response = _matrix_page(client, r, r.coordinator, foresight="1")
    assert _foresight_arrows(response) == []
    page = response.content.decode()
    assert "Box in 3 years" not in page and "data-foresight-toggle" not in page


def test_a_decided_round_still_shows_its_three_year_view(client, foresight_round):
    r = foresight_round
    foresee(r, "7", factor="a1")
    foresee(r, "4.5", factor="a2")
    stage_set(r, ScoringRound.Status.DECIDED)
    assert len(_foresight_arrows(_matrix_page(client, r, r.rater, foresight="1"))) == 1


def test_the_export_has_the_three_year_columns_when_the_view_is_on(client, foresight_round):
    r = foresight_round
    foresee(r, "7", factor="a1")
    foresee(r, "4.5", factor="a2")
    client.force_login(r.coordinator)
    response = client.get(reverse("scoring:round_export_csv", args=[r.round.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, alpha = rows[0], next(row for row in rows if row[0] == "M1")
    index = header.index("Attractiveness in 3 years")
    assert header[index + 1] == "Box in 3 years"
    assert alpha[index : index + 2] == ["6.0", "Key"]
    beta = next(row for row in rows if row[0] == "O1")
    assert beta[index : index + 2] == ["", ""]


def test_the_export_has_no_three_year_columns_without_the_option(foresight_round):
    ScoringRound.objects.filter(pk=foresight_round.round.pk).update(foresight=False)
    foresight_round.round.refresh_from_db()
    header, _rows = round_export_table(matrix=round_matrix(scoring_round=foresight_round.round))
    assert "Attractiveness in 3 years" not in header


def test_the_meeting_saves_a_three_year_cell_and_shows_the_expected_box(client, foresight_round):
    r = foresight_round
    client.force_login(r.coordinator)
    meeting = client.get(reverse("scoring:round_meeting", args=[r.round.pk])).content.decode()
    assert "data-foresight" in meeting and f'id="foresight-{r.mine.pk}-{r.a1.pk}"' in meeting
    url = reverse("scoring:foresight_save", args=[r.round.pk])
    client.post(url, {"customer": r.mine.pk, "factor": r.a1.pk, "value": "7"})
    response = client.post(url, {"customer": r.mine.pk, "factor": r.a2.pk, "value": "4,5"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-foresight-attractiveness>6.00<" in page
    assert 'data-box="key"' in page


def test_the_meeting_cell_says_why_a_value_is_refused(client, foresight_round):
    r = foresight_round
    client.force_login(r.coordinator)
    url = reverse("scoring:foresight_save", args=[r.round.pk])
    response = client.post(url, {"customer": r.mine.pk, "factor": r.a1.pk, "value": "nan"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "is not a number" in page and 'value="nan"' in page
    assert not ForesightRating.objects.exists()


def test_members_see_the_three_year_cells_read_only(client, foresight_round):
    r = foresight_round
    client.force_login(r.member)
    meeting = client.get(reverse("scoring:round_meeting", args=[r.round.pk])).content.decode()
    assert f'id="foresight-{r.mine.pk}-{r.a1.pk}"' in meeting
    assert "scoring:foresight_save" not in meeting
    assert reverse("scoring:foresight_save", args=[r.round.pk]) not in meeting


def _image_arrows(figure) -> int:
    from matplotlib.text import Annotation

    axes = figure.axes[0]
    return sum(1 for t in axes.texts if isinstance(t, Annotation) and t.arrow_patch is not None)


def test_the_matrix_image_draws_the_arrows_the_page_shows(client, foresight_round):
    from scoring.images import matrix_image_figure

    r = foresight_round
    foresee(r, "7", factor="a1")
    foresee(r, "4.5", factor="a2")
    matrix = round_matrix(scoring_round=r.round)
    foresight = round_foresight(matrix=matrix)
    assert _image_arrows(matrix_image_figure(matrix=matrix)) == 0
    assert _image_arrows(matrix_image_figure(matrix=matrix, foresight=foresight)) == 1
    # The page's download links carry the toggle; the image view reads it.
    page = _matrix_page(client, r, r.coordinator, foresight="1").content.decode()
    assert "matrix.png?foresight=1" in page
    image = client.get(reverse("scoring:round_image", args=[r.round.pk, "svg"]), {"foresight": "1"})
    assert image.status_code == 200 and b"<svg" in image.content
