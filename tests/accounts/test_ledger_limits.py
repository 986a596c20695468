"""Ledger files that would hurt the server: each refused with its message before any
heavy reading, nothing stored, no process taken down; and the import task never handed
round again and again."""

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.ledger.limits import ledger_limits
from accounts.ledger.messages import IMPORT_INTERRUPTED
from accounts.ledger.parsing import LedgerLimits
from accounts.ledger.services import ledger_import_create, ledger_import_path
from accounts.ledger.tasks import ledger_import_task
from accounts.models import LedgerImport, LedgerLine
from tests.accounts.conftest import HEADER_EN, LEDGER_EN
from tests.accounts.workbooks import row_xml, xlsx_write

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024
HEADER = HEADER_EN.split(",")
LINE = ["INV1", "05/03/2024", "C001", "PT Sinar", "P1", "Red pen", 2, 1500.5]
# Reads a file in a process of its own, with 4 GiB of address space: a reader that tried
# to allocate the sheet's apparent size would abort it (exit code -6), not the test.
READ_IN_A_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
from accounts.ledger.parsing import LedgerFileError, ledger_read
try:
    ledger_read(sys.argv[1])
    print("read")
except LedgerFileError as error:
    print(error.code)
"""


def read_in_a_child(path: Path) -> tuple[int, str]:
    child = subprocess.run(
        [sys.executable, "-c", READ_IN_A_CHILD, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return child.returncode, child.stdout.strip() or child.stderr[-2000:]


def refused(path: Path) -> LedgerImport:
    """The import of `path` on the worker's path: failed, with a message, nothing stored."""
    result = ledger_import_path(path=path)
    assert result.status == LedgerImport.Status.FAILED
    assert not LedgerLine.objects.exists()
    return result


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def upload_and_map(client, path: Path):
    """Upload through the page, then open its mapping page (which reads the preview)."""
    with path.open("rb") as handle:
        client.post(
            reverse("ledger:import_index"), {"file": SimpleUploadedFile(path.name, handle.read())}
        )
    ledger_import = LedgerImport.objects.latest("pk")
    return ledger_import, client.get(reverse("ledger:import_mapping", args=[ledger_import.pk]))


FAR_CELLS = {
    "declared": ('<row r="1"><c r="A1"><v>1</v></c></row>', "A1:XFD1048576"),
    "a1 and xfd1048576": (
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
        None,
    ),
    "xfd1048576 alone": ('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', None),
    "xfd1 in the header": ('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>', None),
}


@pytest.mark.parametrize("layout", FAR_CELLS)
def test_a_cell_at_xfd1048576_is_refused_without_taking_the_process_down(tmp_path, layout):
    rows, dimension = FAR_CELLS[layout]
    path = xlsx_write(tmp_path / "far.xlsx", rows, dimension=dimension)
    assert path.stat().st_size < 5_000
    assert read_in_a_child(path) == (0, "too_many_columns")


def test_a_cell_at_xfd1048576_fails_its_import_with_a_message(tmp_path):
    rows, dimension = FAR_CELLS["declared"]
    result = refused(xlsx_write(tmp_path / "far.xlsx", rows, dimension=dimension))
    assert result.message == (
        "The file has more than 500 columns (at least 16,384). Leave out the columns the "
        "ledger does not need."
    )


def test_a_row_past_the_limit_is_refused_as_it_comes(tmp_path):
    rows = (
        row_xml(1, HEADER)
        + row_xml(2, LINE)
        + '<row r="3000000"><c r="A3000000"><v>1</v></c></row>'
    )
    result = refused(xlsx_write(tmp_path / "long.xlsx", rows))
    assert result.message.startswith("The file has more than 2,000,000 rows (at least 3,000,000)")


@pytest.mark.parametrize("layout", ["declared", "xfd1 in the header"])
def test_the_mapping_page_refuses_a_far_cell_without_reading_the_sheet(admin, tmp_path, layout):
    rows, dimension = FAR_CELLS[layout]
    path = xlsx_write(tmp_path / "far.xlsx", rows, dimension=dimension)
    ledger_import, page = upload_and_map(admin, path)
    assert page.status_code == 302
    ledger_import.refresh_from_db()
    assert ledger_import.status == LedgerImport.Status.FAILED
    assert "more than 500 columns (at least 16,384)" in ledger_import.message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(admin, tmp_path):
    rows = row_xml(1, HEADER) + row_xml(2, LINE)
    path = xlsx_write(tmp_path / "bomb.xlsx", rows, padding=" " * (4 * MIB))
    assert path.stat().st_size < 50_000
    assert read_in_a_child(path) == (0, "xlsx_compression")
    ledger_import, _page = upload_and_map(admin, path)
    ledger_import.refresh_from_db()
    assert ledger_import.status == LedgerImport.Status.FAILED
    assert (
        "unpacks to " in ledger_import.message
        and "spreadsheets stay under 100" in ledger_import.message
    )
    assert "times its packed size" in refused(path).message


def test_a_workbook_that_unpacks_past_the_limit_is_refused(settings, tmp_path):
    settings.LEDGER_MAX_XLSX_UNCOMPRESSED_BYTES = MIB
    # Padding that compresses like real cells (about 10 times), so only the size tells.
    padding = "".join(f"<!-- {index * 7919 % 100003:06d} -->" for index in range(80_000))
    path = xlsx_write(
        tmp_path / "large.xlsx", row_xml(1, HEADER) + row_xml(2, LINE), padding=padding
    )
    assert refused(path).message.startswith("The workbook unpacks to 1.")
    assert "at most 1.0\xa0MB can be read" in refused(path).message


def test_a_part_that_lies_about_its_size_is_read_no_further_than_it_says(tmp_path):
    rows = row_xml(1, HEADER) + row_xml(2, LINE)
    path = xlsx_write(tmp_path / "liar.xlsx", rows, padding=" " * (4 * MIB))
    _declare_size(path, "xl/worksheets/sheet1.xml", 2_000)
    assert read_in_a_child(path) == (0, "unreadable")
    assert "could not be read" in refused(path).message


def _declare_size(path: Path, name: str, size: int) -> None:
    """Write `size` as the part's uncompressed size in its local header and directory."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while at >= 0 and data[at + name_at : at + name_at + len(encoded)] != encoded:
            at = data.find(signature, at + 1)
        struct.pack_into("<L", data, at + size_at, size)
    path.write_bytes(bytes(data))


def test_a_legacy_xls_is_refused_with_what_to_save_instead(write_file):
    path = write_file("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert "save this file as an Excel Workbook (.xlsx) or as CSV" in refused(path).message


def test_the_mapping_preview_reads_only_the_first_rows_of_a_workbook(admin, tmp_path):
    lines = "".join(row_xml(number, LINE) for number in range(2, 1_202))
    # Past the rows the preview reads, a cell beyond the column limit: only an import sees it.
    far = '<row r="1300"><c r="ZZ1300"><v>1</v></c></row>'
    path = xlsx_write(tmp_path / "ledger.xlsx", row_xml(1, HEADER) + lines + far)
    _ledger_import, page = upload_and_map(admin, path)
    assert page.status_code == 200
    assert page.context["preview"].sample_rows == 1_000
    assert "more than 500 columns (at least 702)" in refused(path).message


def test_the_mapping_preview_reads_only_the_first_rows_of_a_csv(admin, tmp_path):
    lines = "".join("INV1,05/03/2024,C001,PT Sinar,P1,x,1,10\n" for _ in range(1_200))
    path = tmp_path / "ledger.csv"
    path.write_text(f"{HEADER_EN}\n{lines}{'x,' * 50}x\n")  # a ragged line past the preview
    _ledger_import, page = upload_and_map(admin, path)
    assert page.status_code == 200
    assert page.context["preview"].sample_rows == 1_000
    assert "could not be read" in refused(path).message


def test_the_import_task_is_acknowledged_late_and_never_handed_on_when_a_worker_dies():
    assert ledger_import_task.acks_late is True
    assert ledger_import_task.reject_on_worker_lost is False
    assert ledger_import_task.retry_on_worker_lost is False
    assert ledger_import_task.max_retries <= 3


def _uploaded(admin_user, status: str) -> LedgerImport:
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("l.csv", LEDGER_EN.encode()), user=admin_user
    )
    LedgerImport.objects.filter(pk=ledger_import.pk).update(status=status)
    return ledger_import


def test_an_import_delivered_again_after_its_run_died_is_closed_not_run(admin_user):
    ledger_import = _uploaded(admin_user, LedgerImport.Status.RUNNING)
    result = ledger_import_task.apply(args=[ledger_import.pk]).get()
    ledger_import.refresh_from_db()
    assert result["status"] == ledger_import.status == LedgerImport.Status.FAILED
    assert ledger_import.message == str(IMPORT_INTERRUPTED)
    assert not LedgerLine.objects.exists()


def test_an_import_delivered_again_after_it_finished_is_left_as_it_is(admin_user):
    ledger_import = _uploaded(admin_user, LedgerImport.Status.REJECTED)
    ledger_import_task.apply(args=[ledger_import.pk]).get()
    ledger_import.refresh_from_db()
    assert (ledger_import.status, ledger_import.message) == (LedgerImport.Status.REJECTED, "")
    assert not LedgerLine.objects.exists()


def test_a_queued_import_runs(admin_user):
    ledger_import = _uploaded(admin_user, LedgerImport.Status.QUEUED)
    assert ledger_import_task.apply(args=[ledger_import.pk]).get()["rows_imported"] == 4


# --- Limits: size, columns, rows, cells, each refused before the file is read ------------


def test_an_upload_over_the_size_limit_is_refused_by_the_form(admin, settings):
    settings.LEDGER_MAX_UPLOAD_BYTES = 100
    media = Path(settings.MEDIA_ROOT)
    page = admin.post(
        reverse("ledger:import_index"), {"file": SimpleUploadedFile("big.csv", LEDGER_EN.encode())}
    )
    assert page.status_code == 200
    assert page.context["form"].errors["file"] == [
        f"The file is {len(LEDGER_EN)}\xa0bytes; at most 100\xa0bytes can be imported. Split it "
        "into smaller files, or leave out the columns the ledger does not need."
    ]
    assert not LedgerImport.objects.exists()
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_the_upload_form_says_how_large_a_file_may_be(admin, settings):
    settings.LEDGER_MAX_UPLOAD_BYTES = 5 * MIB
    assert "at most 5.0\xa0MB" in admin.get(reverse("ledger:import_index")).content.decode()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings, write_file):
    settings.LEDGER_MAX_UPLOAD_BYTES = 100
    assert refused(write_file("big.csv", LEDGER_EN)).message.startswith(
        f"The file is {len(LEDGER_EN)}\xa0bytes; at most 100\xa0bytes"
    )


def test_a_csv_header_with_too_many_columns_is_refused_on_the_mapping_page(admin, write_file):
    header = ",".join(HEADER + [f"extra {index}" for index in range(600)])
    path = write_file("wide.csv", f"{header}\n{LEDGER_EN.splitlines()[1]}\n")
    ledger_import, page = upload_and_map(admin, path)
    assert page.status_code == 302
    ledger_import.refresh_from_db()
    assert ledger_import.status == LedgerImport.Status.FAILED
    assert ledger_import.message.startswith("The file has more than 500 columns (at least 608).")


def test_a_header_line_longer_than_the_sample_is_counted_to_its_end(admin, write_file):
    # 200,000 columns: 1.4 MB of header, counted by its commas, never parsed.
    header = ",".join(HEADER + [f"c{index:05d}" for index in range(200_000)])
    path = write_file("wider.csv", f"{header}\n{LEDGER_EN.splitlines()[1]}\n")
    ledger_import, _page = upload_and_map(admin, path)
    ledger_import.refresh_from_db()
    assert "more than 500 columns (at least 200,008)" in ledger_import.message
    assert "more than 500 columns (at least 200,008)" in refused(path).message


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_more_rows_than_the_limit_is_refused(settings, tmp_path, write_xlsx, kind):
    settings.LEDGER_MAX_ROWS = 3
    rows = [HEADER, LINE, LINE, LINE, LINE]
    if kind == "csv":
        path = tmp_path / "long.csv"
        path.write_text("".join(",".join(map(str, row)) + "\n" for row in rows))
    else:
        path = write_xlsx("long.xlsx", rows)
    message = refused(path).message
    assert message.startswith("The file has more than 3 rows (at least ")
    assert "Split it into smaller files" in message


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_more_cells_than_the_limit_is_refused(settings, tmp_path, write_xlsx, kind):
    settings.LEDGER_MAX_CELLS = 30  # the header and 3 lines of 8 columns make 32
    rows = [HEADER, LINE, LINE, LINE]
    if kind == "csv":
        path = tmp_path / "cells.csv"
        path.write_text("".join(",".join(map(str, row)) + "\n" for row in rows))
    else:
        path = write_xlsx("cells.xlsx", rows)
    assert refused(path).message.startswith("The file has more than 30 cells")


def test_a_file_within_the_limits_is_imported(settings, write_file):
    settings.LEDGER_MAX_ROWS, settings.LEDGER_MAX_COLUMNS, settings.LEDGER_MAX_CELLS = 5, 8, 40
    assert ledger_import_path(path=write_file("fits.csv", LEDGER_EN)).rows_imported == 4


LIMITS_PROBE = (
    "from django.conf import settings as s; print(s.LEDGER_MAX_COLUMNS, s.LEDGER_MAX_ROWS)"
)


def _settings_process(**env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("LEDGER_MAX_")
    }
    environment.update(env, DEBUG="true", DJANGO_SETTINGS_MODULE="kamapp.settings")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {LIMITS_PROBE}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_the_limits_are_read_from_the_environment():
    assert _settings_process().stdout.split() == ["500", "2000000"]
    assert _settings_process(LEDGER_MAX_COLUMNS="42").stdout.split() == ["42", "2000000"]


@pytest.mark.parametrize("value", ["0", "-5", "lots"])
def test_a_limit_that_is_not_a_whole_number_of_at_least_1_stops_the_start(value):
    result = _settings_process(LEDGER_MAX_ROWS=value)
    assert result.returncode != 0
    assert "LEDGER_MAX_ROWS must be a whole number of at least 1." in result.stderr


def test_the_parser_defaults_are_the_settings_defaults():
    assert ledger_limits() == LedgerLimits()
