"""The survey import: the ledger's upload rules for NPS answers, run while the admin waits."""

import datetime as dt

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planning.models import NpsAnswer, SurveyImport
from planning.services import survey_import_create, survey_import_run
from planning.survey import survey_mapping_guess
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)
MAPPING = {
    "account_code": "Account code",
    "respondent": "Respondent",
    "answered_on": "Date",
    "score": "Score",
    "comment": "Comment",
}
GOOD = (
    "Account code,Respondent,Date,Score,Comment\n"
    "A1,Ana,05/03/2026,9,Quick delivery\n"
    "A1,Budi,06/03/2026,6,\n"
    "A2,Citra,07/03/2026,10,\n"
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def accounts(db):
    return CustomerFactory(code="A1", name="Alpha"), CustomerFactory(code="A2", name="Beta")


def _import(text: str, user, *, name="nps.csv") -> SurveyImport:
    """Import a CSV mapped by its header (the fields of MAPPING it has)."""
    survey_import = survey_import_create(
        uploaded_file=SimpleUploadedFile(name, text.encode()), user=user
    )
    columns = text.split("\n", 1)[0].split(",")
    return survey_import_run(
        survey_import=survey_import,
        mapping={field: column for field, column in MAPPING.items() if column in columns},
        date_format="dmy",
        columns=columns,
        user=user,
        today=TODAY,
    )


def test_a_good_file_stores_every_answer(accounts, admin_user):
    done = _import(GOOD, admin_user)
    assert done.status == SurveyImport.Status.DONE
    assert (done.rows_total, done.rows_imported, done.rows_duplicate) == (3, 3, 0)
    answer = NpsAnswer.objects.get(respondent="Ana")
    assert (answer.customer, answer.answered_on, answer.score, answer.comment) == (
        accounts[0],
        dt.date(2026, 3, 5),
        9,
        "Quick delivery",
    )


def test_each_bad_row_is_named_by_row_and_column_and_nothing_is_stored(accounts, admin_user):
    text = (
        "Account code,Respondent,Date,Score,Comment\n"
        "A1,Ana,05/03/2026,9,\n"  # row 2: good
        "A1,Budi,06/03/2026,11,\n"  # row 3: score out of range
        "ZZ,Citra,07/03/2026,7,\n"  # row 4: no such account
        "A2,Dewi,31/02/2026,8,\n"  # row 5: no such date
        "A2,,07/03/2026,8.5,\n"  # row 6: no respondent, not a whole score
        "A1,Ana,05/03/2026,3,\n"  # row 7: Ana's answer of row 2 again
        "A2,Eka,01/07/2026,8,\n"  # row 8: after today
        "A2,Fajar,02/03/2026,٩,\n"  # row 9: an Arabic-Indic nine, not an ASCII digit
    )
    rejected = _import(text, admin_user, name="bad.csv")
    assert rejected.status == SurveyImport.Status.REJECTED
    assert NpsAnswer.objects.count() == 0
    found = [(error["row"], error["column"], error["code"]) for error in rejected.errors]
    assert found == [
        (3, "Score", "not_a_score"),
        (4, "Account code", "unknown_account"),
        (5, "Date", "not_a_date"),
        (6, "Respondent", "missing"),
        (6, "Score", "not_a_score"),
        (7, "Respondent", "duplicate_answer"),
        (8, "Date", "future_date"),
        (9, "Score", "not_a_score"),
    ]
    assert rejected.rows_invalid == 7
    lines = rejected.errors_file.open("rb").read().decode("utf-8-sig").splitlines()
    assert lines[0] == "file,row,column,value,error"
    assert lines[1] == "bad.csv,3,Score,11,not a score: a whole number from 0 to 10"


def test_a_nul_byte_in_a_cell_is_a_row_error(accounts, admin_user):
    rejected = _import("Account code,Respondent,Date,Score\nA1,An\x00a,05/03/2026,9\n", admin_user)
    assert [(e["row"], e["column"], e["code"]) for e in rejected.errors] == [
        (2, "Respondent", "nul_byte")
    ]


def test_the_errors_csv_is_formula_safe(accounts, admin_user):
    rejected = _import(
        "Account code,Respondent,Date,Score\nA1,=HYPERLINK(1),05/03/2026,x\n", admin_user
    )
    text = rejected.errors_file.open("rb").read().decode("utf-8-sig")
    assert "=HYPERLINK" not in text.replace("'=HYPERLINK", "")


def test_the_same_file_again_adds_nothing_and_says_so(accounts, admin_user, client):
    first = _import(GOOD, admin_user)
    again = _import(GOOD, admin_user)
    assert again.status == SurveyImport.Status.DONE
    assert again.same_as == first
    assert (again.rows_imported, NpsAnswer.objects.count()) == (0, 3)
    client.force_login(admin_user)
    page = client.get(reverse("planning:nps_import_detail", args=[again.pk]))
    assert "nothing was added" in page.content.decode()


def test_an_answer_already_stored_is_not_stored_twice(accounts, admin_user):
    _import(GOOD, admin_user)
    overlapping = GOOD + "A2,Dewi,08/03/2026,8,\n"  # another file: three answers known
    done = _import(overlapping, admin_user)
    assert (done.rows_imported, done.rows_duplicate) == (1, 3)
    assert NpsAnswer.objects.count() == 4


def test_a_mapping_without_the_score_is_refused(accounts, admin_user):
    survey_import = survey_import_create(
        uploaded_file=SimpleUploadedFile("nps.csv", GOOD.encode()), user=admin_user
    )
    with pytest.raises(ValidationError, match="Score"):
        survey_import_run(
            survey_import=survey_import,
            mapping={k: v for k, v in MAPPING.items() if k != "score"},
            date_format="dmy",
            columns=list(MAPPING.values()),
            user=admin_user,
        )


def test_only_admins_import(accounts, manager_user, team_user):
    for user in (manager_user, team_user):
        with pytest.raises(PermissionDenied):
            survey_import_create(
                uploaded_file=SimpleUploadedFile("n.csv", GOOD.encode()), user=user
            )


def test_a_file_over_the_size_limit_is_refused_at_upload(accounts, admin_user, client, settings):
    settings.NPS_MAX_UPLOAD_BYTES = 50
    client.force_login(admin_user)
    upload = SimpleUploadedFile("big.csv", GOOD.encode())
    page = client.post(reverse("planning:nps_import"), {"file": upload})
    assert page.status_code == 200
    assert "at most 50" in page.content.decode()
    assert SurveyImport.objects.count() == 0


def test_a_file_over_the_row_limit_is_refused_with_a_message(accounts, admin_user, settings):
    settings.NPS_MAX_ROWS = 2
    failed = _import(GOOD, admin_user)
    assert failed.status == SurveyImport.Status.FAILED
    assert "more than 2 rows" in failed.message
    assert NpsAnswer.objects.count() == 0


def test_the_mapping_page_guesses_indonesian_headers(accounts, admin_user, client):
    text = "Kode pelanggan;Responden;Tanggal;Skor;Komentar\nA1;Ana;05/03/2026;9;Baik\n"
    survey_import = survey_import_create(
        uploaded_file=SimpleUploadedFile("survei.csv", text.encode()), user=admin_user
    )
    client.force_login(admin_user)
    page = client.get(reverse("planning:nps_import_mapping", args=[survey_import.pk]))
    form = page.context["form"]
    assert {name: form[f"map_{name}"].value() for name in MAPPING} == {
        "account_code": "Kode pelanggan",
        "respondent": "Responden",
        "answered_on": "Tanggal",
        "score": "Skor",
        "comment": "Komentar",
    }


def test_an_excel_workbook_with_a_title_row_imports_like_a_csv(accounts, admin_user, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Customer survey, March"])  # a title above the header
    sheet.append(["Kode pelanggan", "Responden", "Tanggal", "Skor"])
    sheet.append(["A1", "Ana", dt.date(2026, 3, 5), 9])
    sheet.append(["A2", "Budi", dt.date(2026, 3, 6), 6])
    path = tmp_path / "survey.xlsx"
    workbook.save(path)
    upload = survey_import_create(
        uploaded_file=SimpleUploadedFile("survey.xlsx", path.read_bytes()), user=admin_user
    )
    columns = ["Kode pelanggan", "Responden", "Tanggal", "Skor"]
    done = survey_import_run(
        survey_import=upload,
        mapping=survey_mapping_guess(columns),
        date_format="dmy",
        columns=columns,
        user=admin_user,
        today=TODAY,
    )
    assert (done.status, done.rows_imported) == (SurveyImport.Status.DONE, 2)
    assert set(NpsAnswer.objects.values_list("respondent", "answered_on", "score")) == {
        ("Ana", dt.date(2026, 3, 5), 9),
        ("Budi", dt.date(2026, 3, 6), 6),
    }


def test_an_import_runs_once(accounts, admin_user):
    done = _import(GOOD, admin_user)
    with pytest.raises(ValidationError, match="imported already"):
        survey_import_run(
            survey_import=done,
            mapping=MAPPING,
            date_format="dmy",
            columns=list(MAPPING.values()),
            user=admin_user,
        )
    assert NpsAnswer.objects.count() == 3


def test_the_mapping_page_names_the_closest_column_for_a_field_it_cannot_map(
    accounts, admin_user, client
):
    text = "Account code,Respondent,Date,Scroe\nA1,Ana,05/03/2026,9\n"
    survey_import = survey_import_create(
        uploaded_file=SimpleUploadedFile("typo.csv", text.encode()), user=admin_user
    )
    client.force_login(admin_user)
    page = client.get(reverse("planning:nps_import_mapping", args=[survey_import.pk]))
    assert "Score (0–10) must be mapped (closest columns of the file: “Scroe”)" in (
        page.content.decode()
    )
