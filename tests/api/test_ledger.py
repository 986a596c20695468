"""Ledger in: files and JSON lines run by the upload page's import service, 202 with the
import's URL, its report and row errors, a re-sent file adding nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import LedgerImport, LedgerLine, LedgerMapping
from tests.api.conftest import bearer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

LEDGER = "InvoiceNo,InvoiceDate,CustomerID,Amount\nP-1,05/03/2026,C1,100\nP-2,06/03/2026,C2,250.5\n"
MAPPING = {
    "invoice_number": "InvoiceNo",
    "invoice_date": "InvoiceDate",
    "customer_code": "CustomerID",
    "amount": "Amount",
}
URL = "/api/v1/ledger/imports"


@pytest.fixture
def push(client, token_for, admin_user, django_capture_on_commit_callbacks):
    """Send a ledger as the admin's token; the import's job runs (eagerly) on commit."""
    raw = token_for(admin_user)

    def send(text=LEDGER, *, name="march.csv", **fields):
        upload = SimpleUploadedFile(name, text.encode())
        data = {"file": upload, **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data, headers=bearer(raw))

    send.raw = raw
    return send


def test_a_file_is_imported_and_answered_202_with_its_url(client, push):
    response = push(mapping=json.dumps(MAPPING), date_format="dmy")
    assert response.status_code == 202, response.content
    body = response.json()
    ledger_import = LedgerImport.objects.get()
    assert response["Location"] == body["url"]
    assert body["url"] == f"http://testserver/api/v1/ledger/imports/{ledger_import.pk}"
    report = client.get(body["url"], headers=bearer(push.raw)).json()
    assert report["status"] == "done" and report["finished"] is True
    assert report["report"]["lines_imported"] == 2 and report["resent"] is False
    assert sorted(LedgerLine.objects.values_list("invoice_number", "amount")) == [
        ("P-1", 100),
        ("P-2", 250.5),
    ]


def test_a_re_sent_file_adds_nothing_and_says_so(client, push):
    first = push(mapping=json.dumps(MAPPING), date_format="dmy").json()
    again = push(mapping=json.dumps(MAPPING), date_format="dmy").json()
    assert LedgerLine.objects.count() == 2
    report = client.get(again["url"], headers=bearer(push.raw)).json()
    assert report["report"]["lines_imported"] == 0
    assert report["report"]["lines_already_there"] == 2
    assert report["resent"] is True
    assert report["resent_message"] == (
        f"This file was imported before (import {first['id']}): it added no line."
    )


def _report(client, push, response) -> dict:
    """The import's state once its job ran (the POST answers while it is queued)."""
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "queued"
    return client.get(response.json()["url"], headers=bearer(push.raw)).json()


def test_a_named_saved_mapping_is_used(client, push):
    LedgerMapping.objects.create(
        name="ERP", columns=list(MAPPING.values()), mapping=MAPPING, date_format="dmy"
    )
    body = _report(client, push, push(mapping_name="ERP"))
    assert body["status"] == "done" and body["report"]["lines_imported"] == 2


def test_an_unknown_mapping_name_is_refused(push):
    response = push(mapping_name="Nope")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "mapping_name"
    assert response.json()["error"]["code"] == "unknown_mapping"
    assert not LedgerImport.objects.exists()


def test_a_mapping_is_required_when_none_is_saved_for_the_columns(push):
    response = push()
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "mapping_required"
    assert LedgerImport.objects.get().status == "failed"


def test_a_mapping_naming_a_missing_column_is_refused_with_the_pages_message(push):
    response = push(mapping=json.dumps({**MAPPING, "amount": "Total"}), date_format="dmy")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == (
        "The mapping is incomplete: Amount is mapped to a column the file does not have."
    )
    assert not LedgerLine.objects.exists()


def test_row_errors_come_as_json_and_nothing_is_stored(client, push):
    bad = LEDGER + "P-3,not a date,C3,10\nP-4,07/03/2026,C4,abc\n"
    body = _report(client, push, push(bad, mapping=json.dumps(MAPPING), date_format="dmy"))
    assert body["status"] == "rejected"
    assert not LedgerLine.objects.exists()
    assert [(e["row"], e["column"]) for e in body["first_errors"]] == [
        (4, "InvoiceDate"),
        (5, "Amount"),
    ]
    errors = client.get(body["errors_url"], headers=bearer(push.raw)).json()
    assert errors["total"] == 2
    assert [(e["row"], e["column"], e["value"]) for e in errors["items"]] == [
        (4, "InvoiceDate", "not a date"),
        (5, "Amount", "abc"),
    ]


def test_valid_only_imports_the_good_rows(client, push):
    bad = LEDGER + "P-3,not a date,C3,10\n"
    sent = push(bad, mapping=json.dumps(MAPPING), date_format="dmy", valid_only="true")
    body = _report(client, push, sent)
    assert body["status"] == "done" and LedgerLine.objects.count() == 2


def test_json_lines_in_the_body_are_imported(
    client, token_for, admin_user, django_capture_on_commit_callbacks
):
    lines = "\n".join(
        json.dumps(row)
        for row in (
            {"InvoiceNo": "J-1", "InvoiceDate": "2026-03-05", "CustomerID": "C9", "Amount": 10},
            {"InvoiceNo": "J-2", "InvoiceDate": "2026-03-06", "CustomerID": "C9", "Amount": 5.5},
        )
    )
    query = f"?mapping={json.dumps(MAPPING)}&date_format=ymd"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL + query,
            lines,
            content_type="application/x-ndjson",
            headers=bearer(token_for(admin_user)),
        )
    assert response.status_code == 202, response.content
    assert LedgerImport.objects.get().status == "done"
    assert sorted(LedgerLine.objects.values_list("invoice_number", flat=True)) == ["J-1", "J-2"]


def test_a_json_line_that_is_no_object_names_its_line(client, token_for, admin_user):
    response = client.post(
        URL,
        '{"InvoiceNo": "J-1"}\n[1, 2]\n',
        content_type="application/x-ndjson",
        headers=bearer(token_for(admin_user)),
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_json_lines"
    assert response.json()["error"]["row"] == 2


def test_only_admins_import(client, token_for, team_user):
    upload = SimpleUploadedFile("march.csv", LEDGER.encode())
    response = client.post(URL, {"file": upload}, headers=bearer(token_for(team_user)))
    assert response.status_code == 403
    assert not LedgerImport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_answer_is_503(client, token_for, admin_user, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr("accounts.ledger.services.job_send", down)
    upload = SimpleUploadedFile("march.csv", LEDGER.encode())
    data = {"file": upload, "mapping": json.dumps(MAPPING), "date_format": "dmy"}
    # Outside a test transaction the job is queued as the import's setup commits.
    response = client.post(URL, data, headers=bearer(token_for(admin_user)))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "not_queued"
    assert LedgerImport.objects.get().status == "failed"
