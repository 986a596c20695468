"""Pages and htmx endpoints of the scoring app."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kamapp.charts import TIER_COLOURS
from scoring import charts
from scoring.models import Axis, Factor, Rating, ScoringRound
from tests.factories import CustomerFactory, RatingFactory
from tests.fixtures.rounds import factor_set_post, stage_set

pytestmark = pytest.mark.django_db


def _reveal(r):
    """Move the round to its meeting, where everyone's ratings count on the matrix."""
    stage_set(r, ScoringRound.Status.MEETING)


def _save(client, r, customer, factor, value, competitor=None):
    data = {"customer": customer.pk, "factor": factor.pk, "value": value}
    if competitor:
        data["competitor"] = competitor.pk
    return client.post(
        reverse("scoring:rating_save", args=[r.round.pk]), data, HTTP_HX_REQUEST="true"
    )


def test_saving_a_cell_returns_the_cell_and_the_new_scores_out_of_band(client, rated_round):
    r = rated_round
    client.force_login(r.rater)
    response = _save(client, r, r.mine, r.a1, "2")
    assert response.status_code == 200
    content = response.content.decode()
    # 0.6×2 + 0.4×5 = 3.2: below the cut-off, so the account moves to maintenance.
    assert f'id="score-a-{r.mine.pk}" class="score" hx-swap-oob="true">3.20<' in content
    assert 'data-box="maintenance"' in content
    assert "ratingSaved" in response["HX-Trigger"]
    assert Rating.objects.get(factor=r.a1, customer=r.mine).value == Decimal("2")


def test_out_of_range_cell_is_refused_in_place_and_nothing_saved(client, rated_round):
    r = rated_round
    client.force_login(r.rater)
    response = _save(client, r, r.mine, r.a1, "12")
    assert response.status_code == 422
    content = response.content.decode()
    assert "out of range" in content
    assert "The saved rating is still 9" in content
    assert 'aria-invalid="true"' in content
    assert Rating.objects.get(factor=r.a1, customer=r.mine).value == Decimal("9")


def test_rating_another_managers_account_is_forbidden(client, rated_round):
    r = rated_round
    client.force_login(r.rater)
    assert _save(client, r, r.other, r.a1, "5").status_code == 403
    assert not Rating.objects.filter(customer=r.other).exists()


def test_competitor_cell_saves_for_that_competitor(client, rated_round):
    r = rated_round
    client.force_login(r.rater)
    response = _save(client, r, r.mine, r.s1, "9", competitor=r.competitor)
    assert response.status_code == 200
    assert Rating.objects.get(factor=r.s1, customer=r.mine, competitor=r.competitor).value == 9


def test_factor_from_another_round_is_not_found(client, rated_round):
    r = rated_round
    other_round = ScoringRound.objects.create(name="Other")
    foreign = Factor.objects.create(round=other_round, axis=Axis.STRENGTH, name="X", weight=100)
    client.force_login(r.rater)
    assert _save(client, r, r.mine, foreign, "5").status_code == 404


def test_manager_grid_lists_only_own_accounts_with_rubric(client, rated_round):
    r = rated_round
    client.force_login(r.rater)
    response = client.get(reverse("scoring:rating_grid", args=[r.round.pk]))
    content = response.content.decode()
    assert "Alpha Mine" in content
    assert "Beta Other" not in content
    assert "huge" in content  # the rubric of "Size" is shown beside the cells


def test_grid_queries_do_not_grow_with_accounts(client, rated_round, team_user):
    r = rated_round
    client.force_login(team_user)
    url = reverse("scoring:rating_grid", args=[r.round.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    CustomerFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_matrix_page_queries_do_not_grow_with_accounts(client, rated_round, team_user):
    r = rated_round
    _reveal(r)
    client.force_login(team_user)
    url = reverse("scoring:round_detail", args=[r.round.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for customer in CustomerFactory.create_batch(30):
        for factor, value in ((r.a1, 8), (r.a2, 8), (r.s1, 8), (r.s2, 8)):
            RatingFactory(
                round=r.round, factor=factor, customer=customer, rater=team_user, value=value
            )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    # The history names its entries with one query per kind of object among the latest:
    # here fewer kinds (ratings only) than before.
    assert len(many) <= len(few)
    assert len(response.context["page"].object_list) == 31


def test_matrix_filter_returns_the_partial_for_htmx(client, rated_round, team_user):
    r = rated_round
    _reveal(r)
    client.force_login(team_user)
    response = client.get(
        reverse("scoring:round_detail", args=[r.round.pk]),
        {"box": "maintenance"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="matrix-body"')
    assert "Alpha Mine" not in content.split("Not on the matrix yet")[0]


def test_matrix_figure_places_the_account_and_names_the_boxes(client, rated_round, team_user):
    r = rated_round
    _reveal(r)
    client.force_login(team_user)
    figure = client.get(reverse("scoring:round_detail", args=[r.round.pk])).context["figure"]
    (trace,) = figure["data"]
    assert trace["text"] == ["Alpha Mine"]
    assert trace["y"] == [pytest.approx(7.4)]
    # 70/11 = 6.3636...: drawn and hovered at the table's two decimals.
    assert trace["x"] == [6.36]
    # Each bubble carries its account's id; the figure names the account page's pattern once.
    assert trace["customdata"] == [r.mine.pk]
    assert figure["layout"]["meta"]["account_url"].format(r.mine.pk) == reverse(
        "scoring:round_account", args=[r.round.pk, r.mine.pk]
    )
    assert {a["text"] for a in figure["layout"]["annotations"]} == {
        "<b>Key</b>",
        "<b>Key development</b>",
        "<b>Maintenance</b>",
        "<b>Opportunistic</b>",
    }
    assert figure["layout"]["xaxis"]["range"][0] > figure["layout"]["xaxis"]["range"][1]


def test_a_round_without_strength_factors_places_nothing_and_says_so(
    client, rated_round, team_user
):
    r = rated_round
    _reveal(r)
    Factor.objects.filter(round=r.round, axis=Axis.STRENGTH).delete()
    client.force_login(team_user)
    response = client.get(reverse("scoring:round_detail", args=[r.round.pk]))
    # Before, Alpha sat in Maintenance at strength 5 (parity of nothing against nothing).
    assert response.context["figure"]["data"] == []
    assert [count for _box, _label, count in response.context["box_counts"]] == [0, 0, 0, 0]
    content = response.content.decode()
    assert "no factor on the Relative strength axis" in content
    assert "data-axes-without-factors" in content


def test_unplaced_accounts_are_listed_with_what_is_missing(client, rated_round, team_user):
    r = rated_round
    _reveal(r)
    RatingFactory(round=r.round, factor=r.a1, customer=r.other, rater=team_user, value=5)
    client.force_login(team_user)
    content = client.get(reverse("scoring:round_detail", args=[r.round.pk])).content.decode()
    assert (
        'Beta Other</a>: <span class="muted">missing Openness, Quality (us), Delivery (us)'
        in content
    )


def test_account_page_explains_the_position(client, rated_round):
    r = rated_round
    client.force_login(r.rater)
    response = client.get(reverse("scoring:round_account", args=[r.round.pk, r.mine.pk]))
    content = response.content.decode()
    assert response.context["position"].box == "key"
    assert [
        row["contribution"] for row in response.context["attractiveness_rows"]
    ] == pytest.approx([5.4, 2.0])
    assert response.context["attractiveness_figure"]["data"][0]["x"] == pytest.approx([5.4, 2.0])
    assert response.context["competitor_strengths"][0][1] == pytest.approx(4.0)
    assert "Rival" in content and "6.36" in content


def test_weights_that_do_not_add_up_are_refused_with_the_sum(client, small_round, team_user):
    r = small_round
    client.force_login(team_user)
    data = factor_set_post(
        "strength",
        [
            {"id": r.s1.pk, "name": "Quality", "weight": "50", "position": "1"},
            {"id": r.s2.pk, "name": "Delivery", "weight": "45", "position": "2"},
        ],
        drawn_from=r.round,
    )
    response = client.post(reverse("scoring:factor_set", args=[r.round.pk]), data)
    assert response.status_code == 422
    assert "The relative strength weights add up to 95, not 100." in response.content.decode()
    assert Factor.objects.get(pk=r.s2.pk).weight == 50


def test_factor_set_saves_when_weights_add_up(client, small_round, team_user):
    r = small_round
    client.force_login(team_user)
    data = factor_set_post(
        "strength",
        [
            {"id": r.s1.pk, "name": "Quality", "weight": "40", "position": "2"},
            {"id": r.s2.pk, "name": "Delivery", "weight": "40", "position": "1"},
            {
                "name": "Support",
                "weight": "20",
                "position": "3",
                "rubric_low": "none",
                "rubric_high": "proactive",
            },
        ],
        initial=2,
        drawn_from=r.round,
    )
    response = client.post(reverse("scoring:factor_set", args=[r.round.pk]), data)
    assert response.status_code == 302
    names = list(
        r.round.factors.filter(axis="strength").order_by("position").values_list("name", flat=True)
    )
    assert names == ["Delivery", "Quality", "Support"]


def test_running_sum_of_weights_as_typed(client, small_round, team_user):
    r = small_round
    client.force_login(team_user)
    data = {
        "attractiveness-TOTAL_FORMS": "3",
        "attractiveness-INITIAL_FORMS": "2",
        "attractiveness-0-weight": "60",
        "attractiveness-1-weight": "30.5",
        "attractiveness-2-weight": "7",
        "attractiveness-2-DELETE": "on",
    }
    response = client.post(
        reverse("scoring:factor_weight_sum", args=[r.round.pk, "attractiveness"]),
        data,
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert "Weights add up to 90.5" in content
    assert "must be 100" in content


def test_sales_manager_reads_factors_but_cannot_change_them(client, small_round):
    r = small_round
    client.force_login(r.rater)
    assert client.get(reverse("scoring:factor_set", args=[r.round.pk])).status_code == 200
    response = client.post(reverse("scoring:factor_set", args=[r.round.pk]), {"axis": "strength"})
    assert response.status_code == 403


def test_team_creates_a_round_from_the_previous_factors(client, small_round, team_user):
    client.force_login(team_user)
    response = client.post(
        reverse("scoring:round_new"),
        {
            "name": "2027 selection",
            "date": "2027-01-15",
            "copy_factors_from": small_round.round.pk,
        },
    )
    new = ScoringRound.objects.get(name="2027 selection")
    assert response.status_code == 302
    assert new.factors.count() == 4


def test_sales_manager_cannot_create_rounds(client, small_round):
    client.force_login(small_round.rater)
    assert client.get(reverse("scoring:round_new")).status_code == 403


def _export_rows(content: str):
    return list(csv.DictReader(io.StringIO(content)))


def test_csv_export_has_one_row_per_account_with_scores_and_ratings(client, rated_round, team_user):
    r = rated_round
    _reveal(r)
    client.force_login(team_user)
    response = client.get(reverse("scoring:round_export_csv", args=[r.round.pk]))
    rows = _export_rows(response.content.decode())
    alpha = next(row for row in rows if row["Customer code"] == "M1")
    assert alpha["Attractiveness"] == "7.4"
    assert alpha["Our strength"] == "7.0"
    assert alpha["Best competitor strength"] == "4.0"
    assert alpha["Relative strength"] == "6.36"
    assert alpha["Box"] == "Key"
    assert alpha["Complete"] == "yes"
    assert alpha["Size"] == "9.0"
    assert alpha["Delivery (Rival)"] == "4.0"
    beta = next(row for row in rows if row["Customer code"] == "O1")
    assert beta["Complete"] == "no"
    assert beta["Box"] == ""


def test_export_neutralises_formula_injection(client, rated_round, team_user):
    r = rated_round
    _reveal(r)
    r.mine.name = '=HYPERLINK("http://evil")'
    r.mine.save()
    client.force_login(team_user)
    rows = _export_rows(
        client.get(reverse("scoring:round_export_csv", args=[r.round.pk])).content.decode()
    )
    assert next(row for row in rows if row["Customer code"] == "M1")["Name"].startswith("'=")


def test_export_round_command_writes_excel(rated_round, tmp_path):
    path = tmp_path / "round.xlsx"
    stage_set(rated_round, "meeting")
    call_command("export_round", rated_round.round.pk, "--format", "xlsx", "--output", str(path))
    sheet = load_workbook(path).active
    rows = list(sheet.values)
    assert rows[0][:6] == ("Customer code", "Name", "Segment", "Owner", "Tier", "Revenue (IDR)")
    alpha = next(row for row in rows if row[0] == "M1")
    assert alpha[6] == pytest.approx(7.4)
    assert alpha[10] == "Key"


def test_export_round_command_writes_csv_to_stdout(rated_round, capsys):
    # In scoring, one rater's own view: the manager's ratings of their account.
    call_command("export_round", rated_round.round.pk, "--rater", "manager-t")
    rows = _export_rows(capsys.readouterr().out)
    assert {row["Customer code"] for row in rows} == {"M1", "O1"}


def _compute_tiers(r):
    """Alpha buys 9,000 and Beta 1,000 in the period: Alpha is tier A, Beta tier B."""
    import datetime as dt

    from accounts.services import metrics_recompute
    from tests.factories import LedgerLineFactory

    today = dt.date.today()
    LedgerLineFactory(customer=r.mine, invoice_date=today, amount=Decimal("9000"))
    LedgerLineFactory(customer=r.other, invoice_date=today, amount=Decimal("1000"))
    metrics_recompute()


def test_bubbles_are_grey_until_tiers_exist_then_coloured_by_tier(client, rated_round, team_user):
    r = rated_round
    _reveal(r)
    client.force_login(team_user)
    url = reverse("scoring:round_detail", args=[r.round.pk])
    assert [t["name"] for t in client.get(url).context["figure"]["data"]] == ["No tier yet"]
    _compute_tiers(r)
    (trace,) = client.get(url).context["figure"]["data"]
    assert trace["name"] == "Tier A"
    assert trace["marker"]["color"] == TIER_COLOURS["A"]
    # The largest revenue gets the largest bubble: area 1 on the page's one scale, drawn
    # MAX_BUBBLE px wide (plotly's area mode: diameter sqrt(size / 2 / sizeref)).
    assert trace["marker"]["size"] == [1.0]
    assert (1.0 / 2 / trace["marker"]["sizeref"]) ** 0.5 == pytest.approx(charts.MAX_BUBBLE)


def test_matrix_filters_by_tier(client, rated_round, team_user):
    r = rated_round
    _reveal(r)
    _compute_tiers(r)
    client.force_login(team_user)
    url = reverse("scoring:round_detail", args=[r.round.pk])
    assert len(client.get(url, {"tier": "A"}).context["page_positions"]) == 1
    assert client.get(url, {"tier": "B"}).context["page_positions"] == []


def test_a_rating_typed_with_a_decimal_comma_in_indonesian_is_stored_and_shown_so(
    client, rated_round
):
    r = rated_round
    client.force_login(r.rater)
    client.post(reverse("accounts:language_set"), {"language": "id"})
    response = _save(client, r, r.mine, r.a1, "7,5")
    assert response.status_code == 200
    assert Rating.objects.get(factor=r.a1, customer=r.mine).value == Decimal("7.5")
    assert 'value="7,5"' in response.content.decode()
    grid = client.get(reverse("scoring:rating_grid", args=[r.round.pk])).content.decode()
    assert 'value="7,5"' in grid
