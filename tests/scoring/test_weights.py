"""Weights add up to 100 over every factor of an axis after a save, and a stale form saves
nothing: the factor set page and the adoption of weights from the sensitivity page."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scoring.models import Axis, Factor, Rating, RoundMember, ScoringRound
from scoring.selectors import round_matrix
from scoring.services import factor_set_save, factor_set_version
from tests.fixtures.rounds import factor_set_post, stage_set

pytestmark = pytest.mark.django_db

STALE = "changed since this page was opened"


def _attractiveness(r) -> dict[str, Decimal]:
    return dict(
        Factor.objects.filter(round=r.round, axis=Axis.ATTRACTIVENESS).values_list("name", "weight")
    )


def _page_version(client, r, axis: str = "attractiveness") -> str:
    """The version the factor set page draws into an axis's form."""
    content = client.get(reverse("scoring:factor_set", args=[r.round.pk])).content.decode()
    return _form_version(content, axis)


def _form_version(content: str, axis: str) -> str:
    form = content.split(f'id="factors-{axis}"', 1)[1].split("</form>", 1)[0]
    return re.search(r'name="version" value="([0-9a-f]*)"', form).group(1)


def _size_and_openness(r, size="60", openness="40") -> list[dict]:
    return [
        {"id": r.a1.pk, "name": "Size", "weight": size, "consideration": "pure"},
        {"id": r.a2.pk, "name": "Openness", "weight": openness, "consideration": "success"},
    ]


def _post(client, r, data):
    return client.post(reverse("scoring:factor_set", args=[r.round.pk]), data)


@pytest.fixture
def editor(client, small_round, team_user):
    client.force_login(team_user)
    return client


def test_a_form_drawn_before_someone_elses_save_is_refused_with_a_reload_message(
    editor, small_round
):
    r = small_round
    drawn = factor_set_post("attractiveness", _size_and_openness(r), drawn_from=r.round)
    # Meanwhile, in another tab: Size down to 50 and a new factor "Fit" at 10 (sum 100).
    factor_set_save(
        scoring_round=r.round,
        axis=Axis.ATTRACTIVENESS,
        factors=[
            *_size_and_openness(r, size="50"),
            {"id": None, "name": "Fit", "weight": "10", "consideration": "long_term"},
        ],
    )
    # Saved as it was, the old form would leave 60 + 40 + 10 = 110.
    response = _post(editor, r, drawn)
    assert response.status_code == 422
    content = response.content.decode()
    assert STALE in content and "Reload the page" in content
    assert _attractiveness(r) == {"Size": 50, "Openness": 40, "Fit": 10}
    # The form comes back with the version it was drawn with: sent again, it is still stale.
    assert _form_version(content, "attractiveness") == drawn["version"]
    assert _form_version(content, "attractiveness") != _page_version(editor, r)
    assert STALE in _post(editor, r, drawn).content.decode()


def test_a_form_without_a_version_is_refused(editor, small_round):
    r = small_round
    data = factor_set_post("attractiveness", _size_and_openness(r, "70", "30"), drawn_from=r.round)
    del data["version"]
    assert STALE in _post(editor, r, data).content.decode()
    assert _attractiveness(r) == {"Size": 60, "Openness": 40}


def test_a_refused_sum_keeps_the_version_so_the_corrected_form_saves(editor, small_round):
    r = small_round
    version = _page_version(editor, r)
    data = factor_set_post("attractiveness", _size_and_openness(r, "70", "40"), drawn_from=r.round)
    response = _post(editor, r, data)
    assert "add up to 110, not 100" in response.content.decode()
    assert _form_version(response.content.decode(), "attractiveness") == version
    data = factor_set_post("attractiveness", _size_and_openness(r, "70", "30"), drawn_from=r.round)
    assert data["version"] == version
    assert _post(editor, r, data).status_code == 302
    assert _attractiveness(r) == {"Size": 70, "Openness": 30}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        # TOTAL_FORMS counts only a new row: the two factors not posted keep their 100.
        ([{"name": "Extra", "weight": "100", "consideration": "pure"}], "add up to 200, not 100"),
        # One factor posted at 100, the other left out with its 40.
        ([{"id": "a1", "name": "Size", "weight": "100", "consideration": "pure"}], "add up to 140"),
        # The same factor twice, 50 each: only one of them could be saved.
        (
            [
                {"id": "a1", "name": "Size", "weight": "50", "consideration": "pure"},
                {"id": "a1", "name": "Size 2", "weight": "50", "consideration": "pure"},
            ],
            STALE,
        ),
        # A factor of the other axis, taken for one of this axis.
        ([{"id": "s1", "name": "Quality", "weight": "100", "consideration": "pure"}], STALE),
    ],
)
def test_crafted_rows_cannot_leave_the_axis_off_100(editor, small_round, rows, message):
    r = small_round
    for factor in (r.a1, r.a2, r.s1, r.s2):
        Rating.objects.create(
            round=r.round, factor=factor, customer=r.mine, rater=r.rater, value=10
        )
    ids = {"a1": r.a1.pk, "s1": r.s1.pk}
    rows = [row | {"id": ids[row["id"]]} if "id" in row else row for row in rows]
    data = factor_set_post("attractiveness", rows, initial=0, drawn_from=r.round)
    response = _post(editor, r, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert _attractiveness(r) == {"Size": 60, "Openness": 40}
    stage_set(r, ScoringRound.Status.MEETING)
    # Rated 10 on every factor, the account is at 10: the top of the scale, not 20 or 21.
    assert round_matrix(scoring_round=r.round).result.attractiveness[0] == 10


def test_the_service_counts_factors_left_out_of_the_rows(small_round):
    r = small_round
    with pytest.raises(ValidationError, match="add up to 140, not 100"):
        factor_set_save(
            scoring_round=r.round,
            axis=Axis.ATTRACTIVENESS,
            factors=[{"id": r.a1.pk, "name": "Size", "weight": 100, "consideration": "pure"}],
        )


def test_the_version_follows_every_field_the_form_shows(small_round):
    r = small_round
    factors = list(Factor.objects.filter(round=r.round, axis=Axis.ATTRACTIVENESS))
    before = factor_set_version(factors=factors)
    assert factor_set_version(factors=list(reversed(factors))) == before  # order-free
    for field, value in (("name", "Scale"), ("weight", Decimal("61")), ("rubric_mid", "mid")):
        changed = list(Factor.objects.filter(round=r.round, axis=Axis.ATTRACTIVENESS))
        setattr(changed[0], field, value)
        assert factor_set_version(factors=changed) != before, field


# --- Adopting weights from the sensitivity page -------------------------------------------


@pytest.fixture
def meeting(small_round, team_user):
    r = small_round
    RoundMember.objects.create(round=r.round, user=team_user, team_role="coordinator")
    stage_set(r, ScoringRound.Status.MEETING)
    return r


def _sensitivity_version(client, r) -> str:
    return client.get(reverse("scoring:round_sensitivity", args=[r.round.pk])).context[
        "factors_version"
    ]


def _adopt(client, r, version, share="20"):
    return client.post(
        reverse("scoring:round_adopt", args=[r.round.pk]),
        {"share": share, "a_cut": "5", "s_cut": "5", "version": version},
        follow=True,
    )


def test_adopting_from_a_stale_sensitivity_page_is_refused(editor, meeting):
    r = meeting
    version = _sensitivity_version(editor, r)
    factor_set_save(
        scoring_round=r.round,
        axis=Axis.ATTRACTIVENESS,
        factors=[
            *_size_and_openness(r, size="50"),
            {"id": None, "name": "Fit", "weight": "10", "consideration": "long_term"},
        ],
    )
    response = _adopt(editor, r, version)
    assert STALE in response.content.decode()
    assert _attractiveness(r) == {"Size": 50, "Openness": 40, "Fit": 10}


def test_adopting_from_a_fresh_page_moves_the_share_and_keeps_100(editor, meeting):
    r = meeting
    response = _adopt(editor, r, _sensitivity_version(editor, r), share="20")
    assert "The round now uses these weights" in response.content.decode()
    # Realistic share 20 %: Openness (success) 20, Size (pure) 80.
    assert _attractiveness(r) == {"Size": 80, "Openness": 20}
