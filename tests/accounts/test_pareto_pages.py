"""The Pareto page, the customer list with tiers, exports, the recompute button, commands."""

import csv
import html
import io
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import CompanySettings, CustomerMetrics, MetricsRun, Stage
from accounts.services import metrics_recompute
from tests.accounts.ledger import buy
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_pareto_page_shows_tier_counts_shares_and_the_chart_data(client, team_user, ranked):
    client.force_login(team_user)
    response = client.get(reverse("accounts:pareto"))
    assert response.status_code == 200
    tiers = {row["tier"]: row for row in response.context["tiers"]}
    assert [tiers[t]["customers"] for t in "ABC"] == [2, 1, 1]
    assert tiers["A"]["share"] == pytest.approx(90)
    assert tiers["B"]["share"] == pytest.approx(10)
    figure = response.context["figure"]
    assert figure["data"][0]["y"][-1] == 100
    assert len(figure["layout"]["shapes"]) == 2  # the A and B cut-offs
    content = response.content.decode()
    assert 'id="pareto-figure"' in content
    assert settings.PLOTLY_JS in content
    assert "<script>" not in content  # the figure comes as JSON, no inline script


def test_pareto_page_explains_when_no_tiers_were_computed(client, manager_user):
    client.force_login(manager_user)
    response = client.get(reverse("accounts:pareto"))
    assert "No tiers yet" in response.content.decode()


def test_customer_list_shows_tier_stage_and_signals(client, team_user, ranked):
    client.force_login(team_user)
    content = client.get(reverse("accounts:customer_index"), {"scope": "all"}).content.decode()
    assert 'class="tier tier-A"' in content
    assert 'data-signal="large_buyer"' in content
    assert 'data-signal="pareto_top"' in content
    assert 'data-signal="targeted"' in content
    assert 'data-signal="late_payer"' in content


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"tier": "A"}, ["R1", "R2"]),
        ({"tier": "C"}, ["R4"]),
        ({"signal": "large_buyer"}, ["R1"]),
        ({"signal": "targeted"}, ["R2"]),
        ({"signal": "late_payer"}, ["R2"]),
        ({"stage": "none"}, ["R4"]),
        ({"sort": "-revenue"}, ["R1", "R2", "R3", "R4"]),
        ({"sort": "revenue"}, ["R4", "R3", "R2", "R1"]),
        ({"sort": "-name"}, ["R3", "R2", "R4", "R1"]),
    ],
)
def test_customer_list_filters_and_sorts(client, team_user, ranked, params, codes):
    client.force_login(team_user)
    response = client.get(reverse("accounts:customer_index"), {"scope": "all", **params})
    assert [customer.code for customer in response.context["page"]] == codes


def test_customer_list_sorts_through_htmx_returning_only_the_table(client, team_user, ranked):
    client.force_login(team_user)
    response = client.get(
        reverse("accounts:customer_index"), {"scope": "all", "sort": "rank"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="customer-table"' in content
    assert 'aria-sort="ascending"' in content


def test_customer_list_runs_the_same_queries_for_5_or_45_customers(client, team_user):
    client.force_login(team_user)

    def queries_for(count: int) -> int:
        for n in range(count):
            buy(CustomerFactory(competitor_targeted=n % 2 == 0), 100 + n)
        metrics_recompute()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(
                reverse("accounts:customer_index"), {"scope": "all", "sort": "-revenue"}
            )
        assert response.status_code == 200
        return len(captured)

    assert queries_for(5) == queries_for(40)


def test_customer_list_query_count_is_bounded(client, team_user, django_assert_max_num_queries):
    for n in range(60):
        buy(CustomerFactory(), 100 + n)
    metrics_recompute()
    client.force_login(team_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("accounts:customer_index"), {"scope": "all", "signal": "pareto_top"})


def test_customer_export_csv_has_the_shares_tier_signals_and_stage(client, manager_user, ranked):
    client.force_login(manager_user)
    response = client.get(
        reverse("accounts:customer_export"), {"format": "csv", "scope": "all", "sort": "rank"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["Code"] == "R1"
    assert first["Revenue"] == "700.00"
    assert first["Share (%)"] == "70.0"
    assert first["Cumulative share (%)"] == "70.0"
    assert first["Rank"] == "1"
    assert first["Tier"] == "A"
    assert first["Large continuous buyer"] == "yes"
    assert first["Pareto top"] == "yes"
    assert first["Stage"] == "New"
    assert len(rows) == 5


def test_customer_export_xlsx_follows_the_filters(client, manager_user, ranked):
    client.force_login(manager_user)
    response = client.get(
        reverse("accounts:customer_export"), {"format": "xlsx", "scope": "all", "tier": "A"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["R1", "R2"]
    assert rows[1][3] == 700


def test_customer_page_shows_metrics_signals_and_tier_history(client, team_user, ranked):
    big, *_ = ranked
    metrics_recompute()
    client.force_login(team_user)
    response = client.get(reverse("accounts:customer_detail", args=[big.pk]))
    content = response.content.decode()
    assert len(response.context["history"]) == 2
    assert "Tier over time" in content
    assert 'data-signal="large_buyer"' in content
    assert 'data-stage="new"' in content


def test_admin_starts_a_recompute_from_the_dashboard(
    client, admin_user, ranked, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:metrics_recompute_start"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    run = MetricsRun.objects.first()
    assert (run.trigger, run.started_by, run.status) == ("manual", admin_user, "succeeded")


@pytest.mark.parametrize("role_user", ["manager_user", "team_user"])
def test_only_admins_can_start_a_recompute(client, request, role_user, ranked):
    client.force_login(request.getfixturevalue(role_user))
    before = MetricsRun.objects.count()
    response = client.post(reverse("accounts:metrics_recompute_start"))
    assert response.status_code == 403
    assert MetricsRun.objects.count() == before


def test_recompute_cannot_be_started_with_get(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("accounts:metrics_recompute_start")).status_code == 405


def test_run_status_keeps_polling_until_a_run_after_the_request_finishes(client, admin_user):
    client.force_login(admin_user)
    since = timezone.now().isoformat()
    waiting = client.get(reverse("accounts:metrics_run_status"), {"since": since}).content.decode()
    assert 'hx-trigger="every 2s"' in waiting
    metrics_recompute()
    done = client.get(reverse("accounts:metrics_run_status"), {"since": since}).content.decode()
    assert 'hx-trigger="every 2s"' not in done
    assert 'data-run-status="succeeded"' in done


def test_the_finished_run_tells_the_page_to_draw_its_tiers_again(client, admin_user):
    client.force_login(admin_user)
    url = reverse("accounts:metrics_run_status")
    since = timezone.now().isoformat()
    assert "HX-Trigger" not in client.get(url, {"since": since}, HTTP_HX_REQUEST="true")
    assert "HX-Trigger" not in client.get(url, HTTP_HX_REQUEST="true")  # waits for nothing
    metrics_recompute()
    done = client.get(url, {"since": since}, HTTP_HX_REQUEST="true")
    assert done["HX-Trigger"] == "metricsRecomputed"


def _tier_counts() -> dict:
    return {tier: CustomerMetrics.objects.filter(tier=tier).count() for tier in "ABC"}


def test_the_dashboard_draws_its_tiers_again_after_a_recompute(
    client, admin_user, ranked, django_capture_on_commit_callbacks
):
    """The tier cards and moves are the dashboard's `tiers` partial, which listens for the
    event; its answer holds the counts of the run that just finished."""
    client.force_login(admin_user)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'hx-trigger="metricsRecomputed from:body"' in page
    before = _tier_counts()
    buy(ranked[3], 5000)  # the idle customer becomes the largest
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("accounts:metrics_recompute_start"), HTTP_HX_REQUEST="true")
    # The panel was drawn before the run: it polls, and its poll says the run is over.
    poll = re.search(r'hx-get="([^"]+)" hx-trigger="every 2s"', started.content.decode())
    assert "HX-Trigger" not in started and poll
    status = client.get(html.unescape(poll.group(1)), HTTP_HX_REQUEST="true")
    assert status["HX-Trigger"] == "metricsRecomputed"
    fragment = client.get(reverse("dashboard"), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="tiers"')
    assert "<html" not in fragment and 'id="run-status"' not in fragment
    after = _tier_counts()
    assert after != before
    for tier, count in after.items():
        assert re.search(
            rf'data-tier-count="{tier}">\s*<span class="stat-value">{count}</span>', fragment
        ), tier
    assert "data-moves" in fragment and '<td><span class="tier tier-C">C</span></td>' in fragment


def test_recompute_tiers_command_reports_the_run(ranked):
    out = io.StringIO()
    call_command("recompute_tiers", stdout=out)
    assert "Recomputed 4 customers" in out.getvalue()
    assert MetricsRun.objects.first().trigger == "command"


def test_recompute_tiers_command_fails_when_a_run_is_under_way(ranked):
    MetricsRun.objects.create(trigger=MetricsRun.Trigger.SCHEDULE, started_at=timezone.now())
    with pytest.raises(CommandError):
        call_command("recompute_tiers")


def test_export_customers_command_writes_csv(ranked):
    out = io.StringIO()
    call_command("export_customers", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][:9] == [
        "Code",
        "Name",
        "Value (tier measure)",
        "Revenue",
        "Margin",
        "Share (%)",
        "Cumulative share (%)",
        "Rank",
        "Tier",
    ]
    assert [row[0] for row in rows[1:]] == ["R1", "R2", "R3", "R4"]


def test_export_customers_command_writes_xlsx(ranked, tmp_path):
    target = tmp_path / "customers.xlsx"
    call_command(
        "export_customers", "--format", "xlsx", "--output", str(target), stderr=io.StringIO()
    )
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[4][:2] == ("R4", "Idle")
    assert rows[4][8] == "C"
    assert CustomerMetrics.objects.count() == 4
    sheet = load_workbook(target).active
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == f"A1:S{len(rows)}"


def test_export_customers_command_writes_labels_in_the_language_asked(ranked, tmp_path):
    from django.utils import translation

    target = tmp_path / "customers.xlsx"
    command = ["export_customers", "--format", "xlsx", "--output", str(target)]
    call_command(*command, "--language", "id", stderr=io.StringIO())
    book = load_workbook(target)
    rows = list(book.active.iter_rows(values_only=True))
    with translation.override("id"):
        indonesian = {str(label) for label in Stage.labels}
    assert book.sheetnames == ["Pelanggan"] and rows[0][0] == "Kode"
    assert {row[18] for row in rows[1:]} <= indonesian - {str(label) for label in Stage.labels}
    assert translation.get_language() != "id"  # the command's language ends with it


def test_pareto_page_states_the_period_rule_and_links_admins_to_it(client, admin_user, ranked):
    client.force_login(admin_user)
    content = client.get(reverse("accounts:pareto")).content.decode()
    assert "The period is the trailing 12 months ending on the last ledger date." in content
    assert reverse("admin:accounts_companysettings_change", args=[1]) in content
    CompanySettings.objects.filter(pk=1).update(period_calendar_months=True)
    content = client.get(reverse("accounts:pareto")).content.decode()
    assert "12 calendar months ending with the month of the last ledger date" in content


def test_team_sees_the_period_rule_without_the_settings_link(client, team_user, ranked):
    client.force_login(team_user)
    content = client.get(reverse("accounts:pareto")).content.decode()
    assert "trailing 12 months" in content
    assert reverse("admin:accounts_companysettings_change", args=[1]) not in content
