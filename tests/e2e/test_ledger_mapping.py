"""An admin uploads a ledger whose headers the guesser does not know: the mapping page names
the closest columns, and picking them imports the file."""

import pytest
from playwright.sync_api import expect

from accounts.models import LedgerLine

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
