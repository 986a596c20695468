"""An admin uploads ledgers: the mapping page names the closest columns for unknown
headers, warns before a file is imported a second time, and imports that stored nothing
(an abandoned upload, a failed one) are deleted after a confirmation."""

import pytest
from playwright.sync_api import expect

from accounts.ledger.services import ledger_import_path
from accounts.models import LedgerImport, LedgerLine
from kamapp.roles import Role
from tests.factories import UserFactory

LEDGER = """InvoiceNo,InvoiceDate,CustomerID,CustomerName,Amount
E2E-D1,05/03/2024,E001,PT Sinar,261.96
E2E-D2,13/03/2024,E002,CV Maju,7.28
"""

ODD_HEADERS = """Invoce Num,Datum,Client,Total (Rp)
E2E-S1,05/03/2024,E001,261.96
E2E-S2,13/03/2024,E002,7.28
"""


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(page, path):
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("Sales ledger (CSV or Excel)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and map the columns").click()


def test_a_file_imported_before_is_named_before_the_import_and_the_upload_deleted(
    login, demo_site, tmp_path
):
    ledger = tmp_path / "march.csv"
    ledger.write_text(LEDGER)
    earlier_user = UserFactory(username="rina", role=Role.ADMIN)
    earlier = ledger_import_path(path=ledger, user=earlier_user)
    assert earlier.status == LedgerImport.Status.DONE
    lines = LedgerLine.objects.count()

    page = login("admin")
    upload(page, ledger)
    warning = page.locator("#import-duplicate")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(f"“march.csv”, import #{earlier.pk} on")
    expect(warning).to_contain_text("by rina")
    expect(warning).to_contain_text("Importing it again adds nothing")
    upload_pk = LedgerImport.objects.latest("pk").pk
    assert LedgerImport.objects.get(pk=upload_pk).status == LedgerImport.Status.UPLOADED

    warning.get_by_role("link", name="Delete this upload").click()
    expect(page.get_by_role("heading", name="Delete the import")).to_be_visible()
    page.get_by_role("button", name="Delete the import").click()
    expect(page.locator(".messages")).to_contain_text("The import of “march.csv” was deleted.")
    assert not LedgerImport.objects.filter(pk=upload_pk).exists()
    assert LedgerImport.objects.filter(pk=earlier.pk).exists()
    assert LedgerLine.objects.count() == lines


def test_an_admin_deletes_a_failed_import_after_confirming(login, demo_site, tmp_path):
    picture = tmp_path / "photo.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page = login("admin")
    upload(page, picture)
    expect(page.locator("#import-report")).to_contain_text("Failed")
    failed = LedgerImport.objects.latest("pk")
    assert failed.status == LedgerImport.Status.FAILED

    page.get_by_role("link", name="Delete this import").click()
    expect(page.locator("#import-delete")).to_contain_text("stored no ledger line")
    page.get_by_role("link", name="Keep it").click()  # changing one's mind keeps it
    expect(page.locator("#import-report")).to_be_visible()
    assert LedgerImport.objects.filter(pk=failed.pk).exists()

    page.get_by_role("link", name="Delete this import").click()
    page.get_by_role("button", name="Delete the import").click()
    expect(page.locator(".messages")).to_contain_text("The import of “photo.csv” was deleted.")
    expect(page.locator("#import-list")).not_to_contain_text("photo.csv")
    assert not LedgerImport.objects.filter(pk=failed.pk).exists()


def test_the_mapping_page_names_the_closest_columns_for_unknown_headers(login, demo_site, tmp_path):
    before = LedgerLine.objects.count()
    ledger = tmp_path / "odd.csv"
    ledger.write_text(ODD_HEADERS)
    page = login("admin")
    upload(page, ledger)

    expect(page.get_by_role("heading", name="Map the columns")).to_be_visible()
    expect(page.get_by_label("Invoice number *")).to_have_value("")
    hint = page.locator("[data-suggest=map_invoice_number]")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Closest columns: “Invoce Num”")
    expect(page.locator("[data-suggest=map_invoice_date]")).to_contain_text("“Datum”")
    expect(page.locator("[data-suggest=map_customer_code]")).to_contain_text("“Client”")
    expect(page.locator("[data-suggest=map_amount]")).to_have_count(0)  # guessed: Total (Rp)

    page.get_by_label("Invoice number *").select_option("Invoce Num")
    page.get_by_label("Invoice date *").select_option("Datum")
    page.get_by_label("Customer code *").select_option("Client")
    expect(page.locator("#preview")).to_contain_text("5 Mar 2024")
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.locator("#import-report")).to_contain_text("Imported")
    expect(page.locator("[data-count=rows_imported]")).to_have_text("2")
    assert LedgerLine.objects.count() == before + 2
