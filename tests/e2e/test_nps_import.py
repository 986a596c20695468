"""An admin uploads a survey file, imports it with the guessed mapping, and sees the NPS
on the account's page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.models import Customer


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_admin_imports_survey_answers_and_sees_the_accounts_nps(login, demo_site, tmp_path):
    customer = Customer.objects.filter(nps_answers__isnull=True).order_by("pk").first()
    day = (dt.date.today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    # 3 promoters, 1 passive, 1 detractor of 5: 100 × (3 − 1) / 5 = 40.
    rows = "".join(
        f"{customer.code},Person {i},{day},{score},\n" for i, score in enumerate([10, 9, 9, 7, 6])
    )
    survey = tmp_path / "survey.csv"
    survey.write_text("Account code,Respondent,Date,Score,Comment\n" + rows)

    page = login("admin")
    page.goto(f"{demo_site.url}/planning/nps/import/")
    page.get_by_label("Survey answers (CSV or Excel)").set_input_files(str(survey))
    page.get_by_role("button", name="Upload and map the columns").click()
    expect(page.get_by_label("Score (0–10)")).to_have_value("Score")
    page.get_by_role("button", name="Import the answers").click()
    expect(page.locator("[data-count=rows_imported]")).to_have_text("5")

    page.get_by_role("link", name="Survey imports").click()
    page.get_by_role("link", name="NPS per account").click()
    page.locator("#nps-accounts").get_by_role("link", name=customer.name).click()
    expect(page.locator("#nps-latest .nps-score")).to_have_text("40")
    expect(page.locator("#nps-periods tbody tr")).to_have_count(1)
