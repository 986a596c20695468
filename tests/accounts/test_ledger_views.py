"""The import pages: admins only, upload, mapping and preview, progress polling, report."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.ledger.services import ledger_import_configure, ledger_import_create
from accounts.models import LedgerImport, LedgerLine, LedgerMapping
from tests.accounts.conftest import LEDGER_EN

pytestmark = pytest.mark.django_db

BAD_ROWS = "INV5,32/03/2024,C003,,P1,,1,10\nINV6,20/03/2024,C003,,P1,,x,10\n"


def upload(client, content: str | bytes, name: str = "ledger.csv") -> LedgerImport:
    data = content if isinstance(content, bytes) else content.encode()
    response = client.post(reverse("ledger:import_index"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302
    ledger_import = LedgerImport.objects.latest("pk")
    assert response["Location"] == reverse("ledger:import_mapping", args=[ledger_import.pk])
    return ledger_import


def confirm(client, ledger_import, capture, **extra):
    page = client.get(reverse("ledger:import_mapping", args=[ledger_import.pk]))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.pop("valid_only")
    data.update(extra)
    with capture(execute=True):
        response = client.post(reverse("ledger:import_mapping", args=[ledger_import.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    ledger_import.refresh_from_db()
    return ledger_import


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("role_user", ["manager_user", "team_user"])
def test_only_admins_reach_the_import_pages(client, request, admin_user, role_user):
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("l.csv", LEDGER_EN.encode()), user=admin_user
    )
    client.force_login(request.getfixturevalue(role_user))
    for name in ("import_index", "import_detail", "import_mapping", "import_progress"):
        args = [] if name == "import_index" else [ledger_import.pk]
        assert client.get(reverse(f"ledger:{name}", args=args)).status_code == 403, name
    assert client.post(reverse("ledger:import_retry", args=[ledger_import.pk])).status_code == 403
    assert client.post(reverse("ledger:import_index")).status_code == 403


def test_the_nav_shows_imports_to_admins_only(client, admin_user, manager_user):
    client.force_login(admin_user)
    assert reverse("ledger:import_index") in client.get(reverse("dashboard")).content.decode()
    client.force_login(manager_user)
    assert reverse("ledger:import_index") not in client.get(reverse("dashboard")).content.decode()


def test_upload_stores_the_file_and_shows_the_guessed_mapping_with_a_preview(admin):
    ledger_import = upload(admin, LEDGER_EN)
    assert ledger_import.file.name.startswith("imports/")
    response = admin.get(reverse("ledger:import_mapping", args=[ledger_import.pk]))
    form = response.context["form"]
    assert form["map_invoice_number"].value() == "InvoiceNo"
    assert form["map_unit_price"].value() == "UnitPrice"
    assert form["date_format"].value() == "dmy"
    content = response.content.decode()
    assert "PT Sinar" in content
    assert "5 Mar 2024" in content


def test_changing_the_date_format_rerenders_only_the_preview(admin):
    ledger_import = upload(admin, LEDGER_EN.replace("13/03/2024", "03/03/2024"))
    page = admin.get(reverse("ledger:import_mapping", args=[ledger_import.pk]))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields} | {"date_format": "mdy"}
    data.pop("valid_only")
    response = admin.get(
        reverse("ledger:import_mapping", args=[ledger_import.pk]), data, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="preview"' in content
    assert "3 May 2024" in content


def test_confirming_the_mapping_runs_the_import_and_shows_the_report(
    admin, django_capture_on_commit_callbacks
):
    ledger_import = confirm(admin, upload(admin, LEDGER_EN), django_capture_on_commit_callbacks)
    assert ledger_import.status == LedgerImport.Status.DONE
    assert ledger_import.task_id
    assert LedgerLine.objects.count() == 4
    content = admin.get(reverse("ledger:import_detail", args=[ledger_import.pk])).content.decode()
    assert 'data-count="rows_imported">4<' in content


def test_progress_polling_shows_the_bar_while_running(admin, admin_user):
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("l.csv", LEDGER_EN.encode()), user=admin_user
    )
    LedgerImport.objects.filter(pk=ledger_import.pk).update(
        status=LedgerImport.Status.RUNNING, stage=LedgerImport.Stage.STORING, rows_total=4
    )
    response = admin.get(
        reverse("ledger:import_progress", args=[ledger_import.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "<progress" in content
    assert 'hx-trigger="every 1s"' in content
    assert 'value="30"' in content


def test_progress_polling_stops_with_the_report_when_done(
    admin, django_capture_on_commit_callbacks
):
    ledger_import = confirm(admin, upload(admin, LEDGER_EN), django_capture_on_commit_callbacks)
    response = admin.get(
        reverse("ledger:import_progress", args=[ledger_import.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 286
    content = response.content.decode()
    assert 'id="import-report"' in content
    assert "hx-trigger" not in content


def test_errors_are_listed_and_downloadable_and_valid_rows_can_be_imported(
    admin, django_capture_on_commit_callbacks
):
    ledger_import = confirm(
        admin, upload(admin, LEDGER_EN + BAD_ROWS), django_capture_on_commit_callbacks
    )
    assert ledger_import.status == LedgerImport.Status.REJECTED
    content = admin.get(reverse("ledger:import_detail", args=[ledger_import.pk])).content.decode()
    assert "32/03/2024" in content and "Nothing was imported" in content
    download = admin.get(reverse("ledger:import_errors", args=[ledger_import.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"ledger.csv,6,InvoiceDate,32/03/2024" in b"".join(download.streaming_content)
    assert LedgerLine.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("ledger:import_retry", args=[ledger_import.pk]))
    again = LedgerImport.objects.latest("pk")
    assert response["Location"] == reverse("ledger:import_detail", args=[again.pk])
    assert (again.status, again.valid_only, again.rows_imported) == ("done", True, 4)
    assert LedgerLine.objects.count() == 4


def test_a_saved_mapping_is_reused_for_the_next_file_of_the_same_layout(
    admin, django_capture_on_commit_callbacks
):
    body = "Doc,When,Who,Value\nD1,03/25/2024,K1,5\n"
    first = upload(admin, body)
    confirm(
        admin,
        first,
        django_capture_on_commit_callbacks,
        map_invoice_number="Doc",
        map_invoice_date="When",
        map_customer_code="Who",
        map_amount="Value",
        date_format="mdy",
        mapping_name="ERP export",
    )
    assert LedgerMapping.objects.get().name == "ERP export"
    second = upload(admin, "Doc,When,Who,Value\nD2,04/25/2024,K1,7\n")
    response = admin.get(reverse("ledger:import_mapping", args=[second.pk]))
    form = response.context["form"]
    assert form["map_amount"].value() == "Value"
    assert form["date_format"].value() == "mdy"
    assert "ERP export" in response.content.decode()


def test_an_image_upload_gets_a_clear_message(admin):
    ledger_import = upload(admin, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="photo.png")
    response = admin.get(reverse("ledger:import_mapping", args=[ledger_import.pk]), follow=True)
    assert "it looks like a PNG image" in response.content.decode()
    ledger_import.refresh_from_db()
    assert ledger_import.status == LedgerImport.Status.FAILED


def test_a_csv_with_no_matching_columns_says_so(admin):
    ledger_import = upload(admin, "name,colour\nrose,red\n")
    response = admin.get(reverse("ledger:import_mapping", args=[ledger_import.pk]))
    assert "No column of this file looks like a sales-ledger column" in response.content.decode()


def test_an_incomplete_mapping_is_refused(admin):
    ledger_import = upload(admin, LEDGER_EN)
    response = admin.post(
        reverse("ledger:import_mapping", args=[ledger_import.pk]),
        {
            "map_invoice_number": "InvoiceNo",
            "map_invoice_date": "InvoiceDate",
            "map_customer_code": "CustomerID",
            "date_format": "dmy",
        },
    )
    assert response.status_code == 200
    assert "map either an amount, or a quantity and a unit price" in response.content.decode()


def test_the_preview_shows_each_mapped_column_as_stored_with_its_decimal_mark(admin):
    body = (
        "Invoice,Date,Customer,Amount\n"
        'I1,05/03/2024,14646.0,"1.234,50"\n'
        "I2,06/03/2024,14647.0,261.96\n"
        "I3,13/03/2024,14646.0,957.5775\n"
    )
    ledger_import = upload(admin, body)
    response = admin.get(reverse("ledger:import_mapping", args=[ledger_import.pk]))
    preview = {column.field: column for column in response.context["preview"].stored}
    assert preview["amount"].values == [None, 261.96, 957.5775]
    assert preview["amount"].problems == ["comma_in_point_column", "", ""]
    assert preview["customer_code"].values == ["14646", "14647", "14646"]
    content = response.content.decode()
    assert "Amount: decimal point (1,234.50), detected" in content
    assert "Invoice date: Day first (31/12/2024), detected" in content
    assert "codes written 14646.0 are stored as 14646" in content
    assert "written with a decimal comma while this column uses a point" in content
    cells = re.sub(r">\s+|\s+<", lambda m: m.group(0).strip(), content)  # template indentation
    assert ">957.5775<" in cells and ">6 Mar 2024<" in cells


SUGGEST_CSV = "Invoce Num,Datum,Client,Total (Rp)\nI1,05/03/2024,K1,5\n"


def test_the_mapping_page_offers_the_closest_columns_for_missing_fields(admin):
    ledger_import = upload(admin, SUGGEST_CSV)
    response = admin.get(reverse("ledger:import_mapping", args=[ledger_import.pk]))
    content = response.content.decode()
    hints = dict(re.findall(r'data-suggest="map_(\w+)">(.*?)</p>', content, re.S))
    assert set(hints) == {"invoice_number", "invoice_date", "customer_code"}
    assert "“Invoce Num”" in hints["invoice_number"]
    assert "“Datum”" in hints["invoice_date"]
    assert "“Client”" in hints["customer_code"]


def test_no_suggestion_when_the_guess_is_complete(admin):
    ledger_import = upload(admin, LEDGER_EN)
    content = admin.get(reverse("ledger:import_mapping", args=[ledger_import.pk])).content
    assert b"data-suggest" not in content


def test_an_incomplete_mapping_is_refused_with_the_closest_columns(admin, admin_user):
    ledger_import = upload(admin, "Invoice,Date,Customer,Amt\nI1,05/03/2024,K1,5\n")
    response = admin.post(
        reverse("ledger:import_mapping", args=[ledger_import.pk]),
        {"map_invoice_number": "Invoice", "map_invoice_date": "Date",
         "map_customer_code": "Customer", "date_format": "dmy"},
    )  # fmt: skip
    assert response.status_code == 200
    assert (
        "map either an amount, or a quantity and a unit price (closest columns of the file: "
        "“Amt”)" in response.content.decode()
    )
    with pytest.raises(ValidationError, match=r"Customer code must be mapped .*“Customer”"):
        ledger_import_configure(
            ledger_import=ledger_import,
            mapping={"invoice_number": "Invoice", "invoice_date": "Date", "amount": "Amt"},
            date_format="dmy",
            valid_only=False,
            columns=["Invoice", "Date", "Customer", "Amt"],
            user=admin_user,
        )
    ledger_import.refresh_from_db()
    assert ledger_import.status == LedgerImport.Status.UPLOADED
