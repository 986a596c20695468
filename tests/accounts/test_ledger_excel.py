"""The streaming .xlsx reader: each cell as pandas showed a spreadsheet's values, checked
against openpyxl's own reading of the same workbook."""

import datetime as dt
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904, from_excel

from accounts.ledger.parsing import LedgerFileError, LedgerLimits, ledger_read
from accounts.ledger.parsing.cells import date_text
from accounts.ledger.parsing.excel import format_kind, xlsx_columns
from tests.accounts.workbooks import MAIN, row_xml, xlsx_write

ROWS = [
    ["Invoice", "Date", "Customer", "Amount", "Paid", "Time", "Note"],
    [1001, dt.datetime(2024, 3, 5), "C001", 1500.5, True, dt.time(12, 0), None],
    ["I-2", dt.datetime(2024, 12, 31, 13, 45, 30), "PT Café «ü» & <x>", 4501.499999999999],
    [14646.0, "05/03/2024", "two\nlines", -0.1, False, dt.time(23, 59, 59), "  spaced  "],
    [None, dt.datetime(1999, 1, 1), "C003", 1e20, None, None, 7],
    [],
    ["I-9", dt.datetime(2030, 6, 1), "C004", 0.000123, None, None, "last"],
]


def shown(value) -> str:
    """How pandas showed a spreadsheet value read with dtype=str (the reference rule)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def openpyxl_cells(path) -> list[list[str]]:
    sheet = load_workbook(path).active
    return [[shown(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def reader_cells(path) -> list[list[str]]:
    columns = xlsx_columns(path, limits=LedgerLimits())
    return [list(row) for row in zip(*(c.to_pylist() for c in columns), strict=True)]


@pytest.mark.parametrize("epoch", ["1900", "1904"])
def test_each_cell_reads_as_openpyxl_reads_it(tmp_path, epoch):
    workbook = Workbook()
    if epoch == "1904":
        workbook.epoch = CALENDAR_MAC_1904
    for row in ROWS:
        workbook.active.append(row)
    path = tmp_path / "values.xlsx"
    workbook.save(path)
    expected = openpyxl_cells(path)
    assert reader_cells(path) == expected
    assert expected[1][:6] == ["1001", "2024-03-05 00:00:00", "C001", "1500.5", "True", "12:00:00"]
    assert expected[4][3] == "100000000000000000000"


def test_the_table_is_read_under_its_header_with_row_numbers_true(write_xlsx):
    path = write_xlsx("ledger.xlsx", ROWS)
    table = ledger_read(path)
    assert table.first_row == 2
    assert table.frame.index.tolist() == [0, 1, 2, 3, 5]  # the empty row 6 is dropped
    assert table.frame["Customer"].tolist() == [
        "C001",
        "PT Café «ü» & <x>",
        "two\nlines",
        "C003",
        "C004",
    ]


def test_only_the_preview_rows_are_read_for_the_mapping_page(write_xlsx):
    path = write_xlsx("ledger.xlsx", ROWS)
    table = ledger_read(path, preview_rows=2)
    assert table.frame["Invoice"].tolist() == ["1001", "I-2"]


def test_a_sheet_in_a_prefixed_namespace_reads_like_any_other(tmp_path):
    rows = row_xml(1, ["Invoice", "Amount"], prefix="x:") + row_xml(2, ["I1", 10.5], prefix="x:")
    path = xlsx_write(tmp_path / "prefixed.xlsx", rows, prefix="x:")
    assert reader_cells(path) == [["Invoice", "Amount"], ["I1", "10.5"]]


def test_shared_strings_rich_text_and_escapes_are_read_whole(tmp_path):
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="3"><c r="B3" t="s"><v>0</v></c><c r="C3" t="b"><v>1</v></c>'
        '<c r="D3" t="e"><v>#N/A</v></c><c r="E3" t="str"><f>A1</f><v>a_x000D_b</v></c></row>'
    )
    path = xlsx_write(tmp_path / "shared.xlsx", rows, shared=["Invoice", "Amount & tax"])
    assert reader_cells(path) == [
        ["Invoice", "Amount & tax", "", "", ""],
        ["", "", "", "", ""],
        ["", "Invoice", "True", "", "a\rb"],
    ]


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("dd/mm/yyyy", "date"),
        ("[$-421]d mmmm yyyy", "date"),
        ("h:mm AM/PM", "date"),
        ("[h]:mm:ss", "duration"),
        ("[mm]", "duration"),
        ("#,##0.00", ""),
        ('"Rp"#,##0;[Red]-"Rp"#,##0', ""),
        ("0.00%", ""),
        ("General", ""),
        ("@", ""),
        ("#,##0\\ \\y", ""),
        ("0_);(0)", ""),
        ("#,##0*d", ""),
    ],
)
def test_number_formats_that_show_dates_are_told_from_the_others(code, kind):
    assert format_kind(code) == kind


@pytest.mark.parametrize("serial", [1, 59, 61, 367.25, 45356.123456789, 2957000.5])
@pytest.mark.parametrize("date1904", [False, True])
def test_date_serials_are_the_dates_openpyxl_reads(serial, date1904):
    epoch = CALENDAR_MAC_1904 if date1904 else dt.datetime(1899, 12, 30)
    expected = from_excel(serial, epoch=epoch)
    expected = expected.replace(microsecond=round(expected.microsecond, -3) % 1_000_000)
    assert date_text(str(serial), date1904=date1904) == expected.isoformat(sep=" ")


@pytest.mark.parametrize("date1904", [False, True])
@pytest.mark.parametrize(
    ("serial", "shown"),
    [("-1", "-1"), ("2958466", "2958466"), ("1e300", str(int(1e300))), ("nan", "nan")],
)
def test_serials_that_are_no_date_stay_numbers(serial, shown, date1904):
    assert date_text(serial, date1904=date1904) == shown


def test_a_1904_serial_past_the_year_9999_stays_a_number():
    assert date_text("2957004", date1904=True) == "2957004"


def test_a_cell_longer_than_a_spreadsheet_holds_is_refused_as_it_is_read(tmp_path):
    rows = row_xml(1, ["Invoice", "Note"]) + row_xml(2, ["I1", "x" * 40_000])
    with pytest.raises(LedgerFileError, match="more than 32,767 characters"):
        xlsx_columns(xlsx_write(tmp_path / "long-cell.xlsx", rows), limits=LedgerLimits())


def test_a_bloated_but_small_style_sheet_is_read_whatever_it_compresses_to(tmp_path):
    # Workbooks saved over years pile up thousands of identical cell styles: 2 MB that
    # compress 500 times. Only the streamed parts are held to the compression ratio.
    bloat = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * 40_000
    styles = (
        f'<styleSheet xmlns="{MAIN}"><cellXfs><xf numFmtId="14"/>{bloat}</cellXfs></styleSheet>'
    )
    rows = '<row r="1"><c r="A1" s="0"><v>45356</v></c><c r="B1" s="7"><v>1.5</v></c></row>'
    path = xlsx_write(tmp_path / "bloated.xlsx", rows, styles=styles)
    assert reader_cells(path) == [["2024-03-05 00:00:00", "1.5"]]


def _intact(folder, *, stored: bool):
    """A small real workbook, its parts stored uncompressed if `stored` (so that damage lands
    in the XML itself, read before the part's checksum is)."""
    path = folder / f"intact-{stored}.xlsx"
    if not path.exists():
        workbook = Workbook()
        for row in ROWS:
            workbook.active.append(row)
        workbook.save(folder / "saved.xlsx")
        with zipfile.ZipFile(folder / "saved.xlsx") as saved, zipfile.ZipFile(path, "w") as out:
            for member in saved.infolist():
                method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                out.writestr(member.filename, saved.read(member), compress_type=method)
    return path


@settings(max_examples=200, deadline=None)
@given(
    st.booleans(),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8),
    st.one_of(st.just(0), st.integers(min_value=1)),
)
def test_a_damaged_workbook_is_read_or_refused_never_crashes(
    tmp_path_factory, stored, changes, cut
):
    folder = tmp_path_factory.getbasetemp()
    data = bytearray(_intact(folder, stored=stored).read_bytes())
    for at, value in changes:
        data[at % len(data)] = value
    path = folder / "damaged.xlsx"
    path.write_bytes(bytes(data[: len(data) - cut % (len(data) - 30)]))
    try:
        ledger_read(path)
    except LedgerFileError as error:
        assert error.code
