"""An admin imports a ledger with two bad rows: sees the errors, then imports the valid rows."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from accounts.ledger.tasks import ledger_import_task
from accounts.models import LedgerImport, LedgerLine
from kamapp.celery import app as celery_app

LEDGER = """InvoiceNo,InvoiceDate,CustomerID,CustomerName,StockCode,Quantity,UnitPrice
E2E-1,05/03/2024,E001,PT Sinar,P1,2,1500.50
E2E-1,05/03/2024,E001,PT Sinar,P2,1,100
E2E-2,13/03/2024,E002,CV Maju,P1,3,1500.50
E2E-3,32/03/2024,E002,CV Maju,P1,1,10
E2E-4,14/03/2024,E002,CV Maju,P1,many,10
C-E2E-5,15/03/2024,E001,PT Sinar,P1,-1,1500.50
"""


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_admin_sees_the_errors_then_imports_the_valid_rows(login, demo_site, tmp_path, monkeypatch):
    assert celery_app.conf.task_always_eager
    before = LedgerLine.objects.count()
    ledger = tmp_path / "march.csv"
    ledger.write_text(LEDGER)

    page = login("admin")
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("Sales ledger (CSV or Excel)").set_input_files(str(ledger))
    page.get_by_role("button", name="Upload and map the columns").click()

    expect(page.get_by_role("heading", name="Map the columns")).to_be_visible()
    expect(page.get_by_label("Invoice number *")).to_have_value("InvoiceNo")
    expect(page.get_by_label("Dates in the file")).to_have_value("dmy")
    expect(page.locator("#preview")).to_contain_text("5 Mar 2024")
    page.get_by_role("button", name="Import", exact=True).click()

    report = page.locator("#import-status")
    expect(report).to_contain_text("Nothing was imported: 2 rows have errors.")
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("32/03/2024")
    expect(errors).to_contain_text("many")
    expect(page.get_by_role("link", name="Download the errors (CSV)")).to_be_visible()
    assert LedgerLine.objects.count() == before

    # Hold the second run back, so the page shows the bar before the worker picks it up.
    queued = []

    def hold(args=(), kwargs=None, **options):
        queued.append(args[0])
        return SimpleNamespace(id="held")

    monkeypatch.setattr(ledger_import_task, "apply_async", hold)
    page.get_by_role("button", name="Import the valid rows only").click()
    expect(page.locator("#import-progress")).to_be_visible()
    expect(page.locator("#import-status")).to_contain_text("Queued")
    monkeypatch.undo()
    ledger_import_task.apply(args=queued)  # the worker runs; the polled bar turns into the report
    expect(page.locator("#import-report")).to_contain_text("Imported")
    assert LedgerImport.objects.get(pk=queued[0]).valid_only
    expect(page.locator("[data-count=rows_imported]")).to_have_text("4")
    expect(page.locator("[data-count=rows_invalid]")).to_have_text("2")
    assert LedgerLine.objects.count() == before + 4


MIXED = """InvoiceNo,InvoiceDate,CustomerID,CustomerName,Amount
E2E-M1,05/03/2024,E001,PT Sinar,261.96
E2E-M2,13/03/2024,E001,PT Sinar,7.28
E2E-M3,14/03/2024,E002,CV Maju,"1.234,50"
E2E-M4,15/03/2024,E002,CV Maju,957.5775
"""


def test_one_decimal_comma_value_in_a_point_column_is_a_row_error(login, demo_site, tmp_path):
    before = LedgerLine.objects.count()
    ledger = tmp_path / "mixed.csv"
    ledger.write_text(MIXED)

    page = login("admin")
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("Sales ledger (CSV or Excel)").set_input_files(str(ledger))
    page.get_by_role("button", name="Upload and map the columns").click()

    preview = page.locator("#preview")
    expect(preview.locator("[data-column=Amount]")).to_contain_text(
        "Amount: decimal point (1,234.50), detected"
    )
    expect(preview.locator("tbody tr").nth(2)).to_contain_text(
        "written with a decimal comma while this column uses a point"
    )
    expect(preview.locator("tbody tr").nth(3)).to_contain_text("957.5775")
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.locator("#import-status")).to_contain_text(
        "Nothing was imported: 1 row has errors."
    )
    error = page.locator("#import-errors tbody tr")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("1.234,50")
    expect(error).to_contain_text("written with a decimal comma while this column uses a point")
    assert LedgerLine.objects.count() == before
