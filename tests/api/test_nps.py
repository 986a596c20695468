"""NPS survey answers in: files and JSON lines run by the survey upload page's services, 202
with the import's URL, its report and row errors, a re-sent file adding nothing, admins
only, audited with the token's name."""

import datetime as dt
import json
from fractions import Fraction

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from api.services import api_token_create
from planning.models import NpsAnswer, SurveyImport
from planning.selectors import nps_by_quarter
from tests.api.conftest import bearer, token_make_unusable
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

URL = "/api/v1/nps/imports"
# Scores 10, 9, 9, 7, 3: three promoters, one passive, one detractor among five answers.
SURVEY = (
    "Account,Respondent,Date,Score,Comment\n"
    "N1,ana@example.com,15/03/2026,10,Great service\n"
    "N1,budi@example.com,16/03/2026,9,\n"
    "N1,citra@example.com,17/03/2026,9,\n"
    "N1,dewi@example.com,18/03/2026,7,\n"
    "N1,eko@example.com,19/03/2026,3,Late deliveries\n"
)


@pytest.fixture
def account(db):
    return CustomerFactory(code="N1", name="Nusantara Foods")


@pytest.fixture
def push(client, token_for, admin_user, account):
    """Send a survey file as the admin's token."""
    raw = token_for(admin_user, name="Survey tool")

    def send(text=SURVEY, *, name="nps-q1.csv", raw=raw, **fields):
        upload = SimpleUploadedFile(name, text if isinstance(text, bytes) else text.encode())
        return client.post(URL, {"file": upload, **fields}, headers=bearer(raw))

    send.raw = raw
    return send


def test_a_file_is_imported_answered_202_with_its_url_and_its_nps_follows(client, push, account):
    response = push()
    assert response.status_code == 202, response.content
    body = response.json()
    survey_import = SurveyImport.objects.get()
    assert response["Location"] == body["url"]
    assert body["url"] == f"http://testserver/api/v1/nps/imports/{survey_import.pk}"
    report = client.get(body["url"], headers=bearer(push.raw)).json()
    assert report == body
    assert report["status"] == "done" and report["finished"] is True
    assert report["progress"] == {"stage": "done", "percent": 100}
    assert report["report"] == {
        "rows_read": 5,
        "answers_imported": 5,
        "answers_already_stored": 0,
        "rows_with_errors": 0,
        "errors": 0,
    }
    assert report["resent"] is False and report["resent_message"] is None
    assert survey_import.mapping == {
        "account_code": "Account",
        "respondent": "Respondent",
        "answered_on": "Date",
        "score": "Score",
        "comment": "Comment",
    }
    (period,) = nps_by_quarter(customer=account)
    # (3 promoters - 1 detractor) / 5 answers = 40 points.
    assert (period.year, period.quarter) == (2026, 1)
    assert period.result.score == Fraction(40)
    assert (period.result.promoters, period.result.passives, period.result.detractors) == (3, 1, 1)


def test_an_excel_workbook_with_indonesian_headers_is_imported(client, push, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Kode pelanggan", "Responden", "Tanggal", "Skor"])
    sheet.append(["N1", "Ana", dt.date(2026, 3, 5), 9])
    sheet.append(["N1", "Budi", dt.date(2026, 3, 6), 6])
    path = tmp_path / "survei.xlsx"
    workbook.save(path)
    response = push(path.read_bytes(), name="survei.xlsx")
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "done"
    assert sorted(NpsAnswer.objects.values_list("respondent", "answered_on", "score")) == [
        ("Ana", dt.date(2026, 3, 5), 9),
        ("Budi", dt.date(2026, 3, 6), 6),
    ]


def test_a_re_sent_file_adds_nothing_and_says_so(client, push):
    first = push().json()
    again = push()
    assert again.status_code == 202
    body = again.json()
    assert NpsAnswer.objects.count() == 5
    assert body["resent"] is True and body["report"]["answers_imported"] == 0
    assert body["resent_message"] == (
        f"This file was imported before (import {first['id']}): it added no answer."
    )
    assert client.get(body["url"], headers=bearer(push.raw)).json()["resent"] is True


def test_answers_stored_before_are_counted_never_stored_twice(push):
    push()
    longer = SURVEY + "N1,fajar@example.com,20/03/2026,10,\n"
    body = push(longer, name="nps-q1-again.csv").json()
    assert body["report"]["answers_imported"] == 1
    assert body["report"]["answers_already_stored"] == 5
    assert NpsAnswer.objects.count() == 6


def test_an_explicit_mapping_and_date_format_are_used(push, account):
    text = "Kode,Nama,Tgl,Nilai\nN1,ana@example.com,03/04/2026,10\n"
    mapping = {"account_code": "Kode", "respondent": "Nama", "answered_on": "Tgl", "score": "Nilai"}
    response = push(text, mapping=json.dumps(mapping), date_format="mdy")
    assert response.status_code == 202, response.content
    answer = NpsAnswer.objects.get()
    assert answer.answered_on == dt.date(2026, 3, 4) and answer.score == 10


def test_a_mapping_naming_a_missing_column_is_refused_and_the_import_closed(push):
    mapping = {"account_code": "Nope", "respondent": "Respondent", "answered_on": "Date"}
    response = push(mapping=json.dumps(mapping))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "mapping" and error["code"] == "invalid_mapping"
    assert "Score (0–10)" in error["message"]
    survey_import = SurveyImport.objects.get()
    assert survey_import.status == SurveyImport.Status.FAILED
    assert survey_import.message == error["message"]
    assert not NpsAnswer.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"mapping": json.dumps({"account": "Account"})}, "mapping"),
        ({"mapping": "[1, 2]"}, "mapping"),
        ({"date_format": "dd.mm.yyyy"}, "date_format"),
    ],
)
def test_a_wrong_option_is_refused_before_anything_is_stored(push, fields, field):
    response = push(**fields)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    assert not SurveyImport.objects.exists()


def test_row_errors_come_as_json_and_nothing_is_stored(client, push):
    text = SURVEY + "X9,fajar@example.com,20/03/2026,11,\n"
    response = push(text)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "rejected" and body["finished"] is True
    assert body["report"]["rows_with_errors"] == 1 and body["report"]["errors"] == 2
    assert body["first_errors"] == [
        {
            "row": 7,
            "column": "Account",
            "value": "X9",
            "code": "unknown_account",
            "message": "no account has this code",
        },
        {
            "row": 7,
            "column": "Score",
            "value": "11",
            "code": "not_a_score",
            "message": "not a score: a whole number from 0 to 10",
        },
    ]
    assert not NpsAnswer.objects.exists()
    errors = client.get(body["errors_url"], headers=bearer(push.raw)).json()
    assert errors["total"] == 2 and errors["offset"] == 0
    assert [(item["row"], item["column"], item["value"]) for item in errors["items"]] == [
        (7, "Account", "X9"),
        (7, "Score", "11"),
    ]


def test_json_lines_in_the_body_are_imported(client, token_for, admin_user, account):
    lines = "\n".join(
        json.dumps({"Account": "N1", "Respondent": name, "Date": day, "Score": score})
        for name, day, score in (("ana", "2026-03-15", 10), ("budi", "2026-03-16", 6))
    )
    response = client.post(
        URL,
        lines,
        content_type="application/x-ndjson",
        headers=bearer(token_for(admin_user)),
        QUERY_STRING="date_format=ymd",
    )
    assert response.status_code == 202, response.content
    assert sorted(NpsAnswer.objects.values_list("respondent", "score")) == [
        ("ana", 10),
        ("budi", 6),
    ]


def test_a_body_neither_file_nor_json_lines_is_refused_with_415(client, token_for, admin_user):
    response = client.post(
        URL, "a,b\n1,2\n", content_type="text/csv", headers=bearer(token_for(admin_user))
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_the_import_is_audited_with_the_tokens_name(push, admin_user):
    push()
    survey_import = SurveyImport.objects.get()
    entry = LogEntry.objects.get_for_object(survey_import).order_by("pk").first()
    assert entry.actor == admin_user
    assert entry.additional_data["api_token"] == "Survey tool"


@pytest.mark.parametrize("role_user", ["team_user", "manager_user"])
def test_only_admins_import_or_read_imports(client, token_for, push, request, role_user):
    body = push().json()
    raw = token_for(request.getfixturevalue(role_user))
    refused = client.post(
        URL, {"file": SimpleUploadedFile("a.csv", SURVEY.encode())}, headers=bearer(raw)
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == "Only admins import survey answers."
    for url in (body["url"], body["errors_url"]):
        assert client.get(url, headers=bearer(raw)).status_code == 403
    assert SurveyImport.objects.count() == 1


def test_a_read_only_token_may_not_import(push, admin_user):
    _api_token, raw = api_token_create(user=admin_user, name="Reader", read_only=True)
    response = push(raw=raw)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only"
    assert not SurveyImport.objects.exists()


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_a_revoked_or_expired_token_is_refused_with_401(push, admin_user, state):
    api_token, raw = api_token_create(user=admin_user, name="Old survey tool")
    token_make_unusable(api_token, state)
    response = push(raw=raw)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"
    assert not SurveyImport.objects.exists()


def test_an_unknown_import_is_404(client, push):
    assert client.get(f"{URL}/999999", headers=bearer(push.raw)).status_code == 404
