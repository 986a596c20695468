"""The import report against the metrics period: the file's dates, how many of its lines the
period holds, and a plain warning for a historic ledger (none of them)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.ledger.services import ledger_import_path
from accounts.models import CompanySettings, LedgerImport, LedgerLine

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/admin/accounts/companysettings/1/change/"


def ledger_csv(dates: list[dt.date], prefix: str = "I") -> str:
    rows = [f"{prefix}{n},{day:%Y-%m-%d},C{n % 3},{n + 1}" for n, day in enumerate(dates)]
    return "Invoice,Date,Customer,Amount\n" + "\n".join(rows) + "\n"


def run(write_file, name: str, dates: list[dt.date], prefix: str = "I") -> LedgerImport:
    ledger_import = ledger_import_path(path=write_file(name, ledger_csv(dates, prefix)))
    assert ledger_import.status == LedgerImport.Status.DONE, ledger_import.message
    return ledger_import


def monthly(first: dt.date, count: int) -> list[dt.date]:
    """The same day of `count` consecutive months from `first` (a day every month has)."""
    return [
        dt.date(first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1, first.day)
        for k in range(count)
    ]


def trailing_start(end: dt.date, months: int) -> dt.date:
    """By hand: the day after the same day `months` months before the end (ends on day < 29)."""
    back = end.year * 12 + end.month - 1 - months
    return dt.date(back // 12, back % 12 + 1, end.day) + dt.timedelta(days=1)


def report_page(client, ledger_import: LedgerImport) -> str:
    return client.get(reverse("ledger:import_detail", args=[ledger_import.pk])).content.decode()


def test_a_file_inside_the_period_has_every_line_in_it(write_file, admin_client):
    dates = monthly(dt.date(2024, 1, 10), 12)
    ledger_import = run(write_file, "recent.csv", dates)
    assert ledger_import.first_line_date == dt.date(2024, 1, 10)
    assert ledger_import.last_line_date == dt.date(2024, 12, 10)
    assert (ledger_import.period_start, ledger_import.period_end) == (
        dt.date(2023, 12, 11),
        dt.date(2024, 12, 10),
    )
    assert ledger_import.lines_in_period == 12
    assert not ledger_import.is_historic
    content = report_page(admin_client, ledger_import)
    assert 'data-count="lines_in_period">12<' in content
    assert "Jan. 10, 2024 – Dec. 10, 2024" in content
    assert 'id="import-historic"' not in content
    assert 'id="import-partly-historic"' not in content


def test_a_historic_file_entirely_before_the_period_says_so_and_links_to_the_setting(
    write_file, admin_client
):
    run(write_file, "recent.csv", monthly(dt.date(2024, 6, 5), 6))
    old = monthly(dt.date(2019, 1, 20), 24)
    ledger_import = run(write_file, "old.csv", old, prefix="OLD")
    assert ledger_import.rows_imported == 24
    assert ledger_import.period_end == dt.date(2024, 11, 5)  # the earlier file's last date
    assert ledger_import.lines_in_period == 0
    assert ledger_import.is_historic
    content = report_page(admin_client, ledger_import)
    assert 'id="import-historic"' in content
    assert "None of this file's lines fall inside the metrics period" in content
    assert "Nov. 6, 2023 to Nov. 5, 2024" in content
    historic = content.split('id="import-historic"')[1].split("</p>")[0]
    assert f'href="{SETTINGS_URL}"' in historic
    assert reverse("admin:accounts_companysettings_change", args=[1]) == SETTINGS_URL


@pytest.mark.parametrize("calendar", [False, True])
def test_a_file_overlapping_the_period_counts_the_lines_inside_it(
    write_file, admin_client, calendar
):
    CompanySettings.objects.update_or_create(
        pk=1, defaults={"period_months": 6, "period_calendar_months": calendar}
    )
    dates = [*monthly(dt.date(2023, 3, 14), 14), dt.date(2024, 4, 2), dt.date(2024, 4, 27)]
    ledger_import = run(write_file, "span.csv", dates)
    end = dt.date(2024, 4, 27)
    start = dt.date(2023, 11, 1) if calendar else trailing_start(end, 6)
    inside = sum(start <= day <= end for day in dates)
    assert 0 < inside < len(dates)
    assert (ledger_import.period_start, ledger_import.period_end) == (start, end)
    assert ledger_import.lines_in_period == inside
    assert ledger_import.lines_before_period == len(dates) - inside
    assert not ledger_import.is_historic
    content = report_page(admin_client, ledger_import)
    assert f'data-count="lines_in_period">{inside}<' in content
    partly = content.split('id="import-partly-historic"')[1].split("</p>")[0]
    assert f"{len(dates) - inside} of the file's lines fall before the metrics period" in partly
    assert f'href="{SETTINGS_URL}"' in partly


def test_the_period_may_end_on_the_imported_files_own_last_date(write_file):
    run(write_file, "first.csv", monthly(dt.date(2023, 1, 8), 3))
    dates = [dt.date(2023, 2, 1), dt.date(2023, 9, 1), dt.date(2024, 8, 20)]
    ledger_import = run(write_file, "later.csv", dates, prefix="L")
    assert ledger_import.period_end == dt.date(2024, 8, 20)
    assert ledger_import.period_start == trailing_start(dt.date(2024, 8, 20), 12)
    assert ledger_import.lines_in_period == 2  # 2023-02-01 is before 2023-08-21


def test_a_file_imported_again_counts_its_lines_already_stored(write_file):
    dates = monthly(dt.date(2024, 2, 3), 4)
    run(write_file, "a.csv", dates)
    again = run(write_file, "a.csv", dates)
    assert (again.rows_imported, again.rows_duplicate) == (0, 4)
    assert again.lines_in_period == 4
    assert LedgerLine.objects.count() == 4


def test_a_rejected_file_has_its_dates_but_no_period_count(write_file):
    path = write_file("bad.csv", ledger_csv(monthly(dt.date(2024, 2, 3), 3)) + "X,notadate,C1,5\n")
    ledger_import = ledger_import_path(path=path)
    assert ledger_import.status == LedgerImport.Status.REJECTED
    assert ledger_import.first_line_date == dt.date(2024, 2, 3)
    assert ledger_import.lines_in_period is None
    assert not ledger_import.is_historic


def test_the_command_prints_the_dates_and_warns_about_a_historic_file(write_file):
    run(write_file, "recent.csv", monthly(dt.date(2024, 6, 5), 2))
    out = StringIO()
    path = write_file("old.csv", ledger_csv(monthly(dt.date(2020, 3, 1), 3), "OLD"))
    call_command("import_ledger", str(path), "--no-progress", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "dates in the file: 2020-03-01 to 2020-05-01" in text
    assert "lines in the metrics period (2023-07-06 to 2024-07-05): 0 of 3" in text
    assert "None of the file's lines fall inside the metrics period: a historic ledger." in text
    assert SETTINGS_URL in text


def test_the_command_says_how_many_lines_fall_before_the_period(write_file):
    out = StringIO()
    dates = [dt.date(2021, 5, 5), dt.date(2024, 1, 9), dt.date(2024, 5, 9)]
    path = write_file("part.csv", ledger_csv(dates))
    call_command("import_ledger", str(path), "--no-progress", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "lines in the metrics period (2023-05-10 to 2024-05-09): 2 of 3" in text
    assert "1 of the file's lines fall before the metrics period" in text
    assert "historic" not in text
