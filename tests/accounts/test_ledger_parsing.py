"""Reading, mapping, validating and keying ledger files (pure pandas, no database)."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from accounts.ledger.parsing import (
    DateOrder,
    LedgerFileError,
    date_order_detect,
    dates_parse,
    ledger_check,
    ledger_read,
    mapping_guess,
    numbers_parse,
)
from tests.accounts.conftest import HEADER_EN, LEDGER_EN

TODAY = dt.date(2024, 12, 31)
WITH_LINES = "Invoice,Line,Date,Customer,Amount"


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def check(table, **options):
    options.setdefault("mapping", mapping_guess(table.columns))
    options.setdefault("date_order", "dmy")
    return ledger_check(table, today=TODAY, **options)


def errors_of(checked):
    return checked.errors[["row", "column", "value", "code"]].values.tolist()


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_is_read_with_any_delimiter(write_file, delimiter):
    path = write_file("ledger.csv", LEDGER_EN.replace(",", delimiter))
    table = ledger_read(path)
    assert table.delimiter == delimiter
    assert table.columns[:3] == ["InvoiceNo", "InvoiceDate", "CustomerID"]
    assert len(table.frame) == 4


def test_utf8_with_bom_is_read(write_file):
    path = write_file("bom.csv", "\ufeff" + LEDGER_EN.replace("PT Sinar", "PT Café"))
    table = ledger_read(path)
    assert table.columns[0] == "InvoiceNo"
    assert table.frame["CustomerName"].iloc[0] == "PT Café"


def test_latin1_is_read(write_file):
    path = write_file("latin1.csv", LEDGER_EN.replace("PT Sinar", "PT Café"), encoding="latin-1")
    table = ledger_read(path)
    assert table.encoding == "latin-1"
    assert table.frame["CustomerName"].iloc[0] == "PT Café"


def test_excel_is_read_below_title_rows(write_xlsx):
    path = write_xlsx(
        "ledger.xlsx",
        [
            ["Sales ledger March 2024"],
            [],
            ["No Faktur", "Tanggal", "Pelanggan", "Jumlah", "Harga"],
            [1001, dt.datetime(2024, 3, 5), "C001", 2, 1500.5],
            ["1002", "06/03/2024", "C002", -1, 200],
        ],
    )
    table = ledger_read(path)
    assert table.kind == "excel"
    assert table.first_row == 4
    checked = check(table)
    assert checked.lines["invoice_number"].tolist() == ["1001", "1002"]
    dates = checked.lines["invoice_date"].dt.date.tolist()
    assert dates == [dt.date(2024, 3, 5), dt.date(2024, 3, 6)]
    assert checked.lines["amount"].tolist() == [3001.0, -200.0]


def test_blank_lines_keep_the_file_row_numbers(write_file):
    body = lines(HEADER_EN, "INV1,05/03/2024,C1,,P1,,1,1", "", "INV2,bad,C1,,P1,,1,1")
    path = write_file("gaps.csv", body)
    checked = check(ledger_read(path))
    assert errors_of(checked) == [[4, "InvoiceDate", "bad", "not_a_date"]]


def test_english_headers_are_mapped():
    mapping = mapping_guess(
        [
            "InvoiceNo",
            "StockCode",
            "Description",
            "Quantity",
            "InvoiceDate",
            "UnitPrice",
            "CustomerID",
        ]
    )
    assert mapping == {
        "invoice_number": "InvoiceNo",
        "invoice_date": "InvoiceDate",
        "customer_code": "CustomerID",
        "product_code": "StockCode",
        "quantity": "Quantity",
        "unit_price": "UnitPrice",
    }


def test_indonesian_headers_are_mapped():
    mapping = mapping_guess(
        ["No Faktur", "Tanggal", "Pelanggan", "Nama Pelanggan", "Jumlah", "Harga", "Total", "HPP"]
    )
    assert mapping == {
        "invoice_number": "No Faktur",
        "invoice_date": "Tanggal",
        "customer_code": "Pelanggan",
        "customer_name": "Nama Pelanggan",
        "quantity": "Jumlah",
        "unit_price": "Harga",
        "amount": "Total",
        "cost": "HPP",
    }


def test_headers_with_extra_words_are_mapped():
    mapping = mapping_guess(["Invoice Date (dd/mm/yyyy)", "Invoice #", "Cust. Code", "Total (Rp)"])
    assert mapping["invoice_date"] == "Invoice Date (dd/mm/yyyy)"
    assert mapping["amount"] == "Total (Rp)"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["05/03/2024", "25/12/2024"], (DateOrder.DMY, False)),
        (["03/05/2024", "12/25/2024"], (DateOrder.MDY, False)),
        (["05/03/2024", "06/03/2024"], (DateOrder.DMY, True)),
        (["2024-03-05", "2024-12-25"], (DateOrder.YMD, False)),
    ],
)
def test_date_order_is_detected_from_the_data(values, expected):
    assert date_order_detect(pd.Series(values, dtype="str")) == expected


def test_dates_that_do_not_exist_are_rejected():
    values = pd.Series(["29/02/2024", "31/02/2024", "5.3.24", "5-Mar-2024"])
    parsed = dates_parse(values, order="dmy")
    assert [str(value) for value in parsed] == ["2024-02-29", "NaT", "2024-03-05", "2024-03-05"]


def test_numbers_accept_local_formats():
    # One notation per column: "Rp 1.500.000" sat in the point column here until the
    # columns were read in one notation each (a dot-grouped value there is now refused).
    values = pd.Series(["1234.5", "1,234.50", "(1,234.00)", "-3", "", "12abc"])
    parsed = numbers_parse(values)
    assert parsed[:4].tolist() == [1234.5, 1234.5, -1234.0, -3.0]
    assert np.isnan(parsed[4:]).all()
    rupiah = pd.Series(["Rp 1.500.000", "IDR 2.000,50", "1.250-", "Rp 7,5"])
    assert numbers_parse(rupiah).tolist() == [1500000.0, 2000.5, -1250.0, 7.5]


def test_decimal_commas_are_detected_per_column():
    assert numbers_parse(pd.Series(["1.234,50", "1.000.000", "12,5"])).tolist() == [
        1234.5,
        1000000.0,
        12.5,
    ]


@pytest.mark.parametrize(
    ("line", "column", "value", "code"),
    [
        (",05/03/2024,C1,,P1,,1,10", "InvoiceNo", "", "missing"),
        ("INV9,,C1,,P1,,1,10", "InvoiceDate", "", "missing"),
        ("INV9,31/02/2024,C1,,P1,,1,10", "InvoiceDate", "31/02/2024", "not_a_date"),
        ("INV9,01/01/2031,C1,,P1,,1,10", "InvoiceDate", "01/01/2031", "future_date"),
        ("INV9,05/03/2024,C1,,P1,,two,10", "Quantity", "two", "not_a_number"),
        ("INV9,05/03/2024,C1,,P1,,1,ten", "UnitPrice", "ten", "not_a_number"),
        ("INV9,05/03/2024,C1,,P1,,1,", "UnitPrice", "", "missing"),
        (f"INV9,05/03/2024,{'C' * 51},,P1,,1,10", "CustomerID", "C" * 51, "too_long"),
        ("INV9,05/03/2024,C1,,P1,,1,1e15", "UnitPrice", "1e15", "too_large"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_row_column_and_value(
    write_file, line, column, value, code
):
    path = write_file("bad.csv", f"{HEADER_EN}\nINV8,05/03/2024,C1,,P1,,1,10\n{line}\n")
    checked = check(ledger_read(path))
    assert errors_of(checked) == [[3, column, value, code]]
    assert checked.rows_invalid == 1
    assert len(checked.lines) == 1


def test_repeated_line_numbers_within_an_invoice_are_errors(write_file):
    body = lines(WITH_LINES, "I1,1,05/03/2024,C1,10", "I1,1,05/03/2024,C1,20")
    path = write_file("lines.csv", body)
    checked = check(ledger_read(path))
    assert errors_of(checked) == [[3, "Line", "1", "duplicate_line"]]


def test_credit_notes_and_returns_are_negative_revenue(write_file):
    body = lines("Invoice,Date,Customer,Amount", "I1,05/03/2024,C1,100", "C-I1,06/03/2024,C1,-40")
    path = write_file("credit.csv", body)
    checked = check(ledger_read(path))
    assert checked.lines["amount"].tolist() == [100.0, -40.0]
    returned = check(ledger_read(write_file("en.csv", LEDGER_EN)))
    credit = returned.lines["invoice_number"] == "C-INV3"
    assert returned.lines.loc[credit, "amount"].item() == -1500.5


def test_lines_without_a_customer_are_skipped_with_count_and_total(write_file):
    path = write_file(
        "nocust.csv",
        lines(
            "Invoice,Date,Customer,Amount",
            "I1,05/03/2024,C1,100",
            "I2,05/03/2024,,40",
            "I3,06/03/2024, ,2.5",
        ),
    )
    checked = check(ledger_read(path))
    assert (checked.rows_skipped, checked.skipped_amount) == (2, 42.5)
    assert checked.errors.empty
    assert checked.lines["invoice_number"].tolist() == ["I1"]


def test_identical_lines_of_an_invoice_get_their_own_keys(write_file):
    body = lines(HEADER_EN, "I1,05/03/2024,C1,,P1,,1,10", "I1,05/03/2024,C1,,P1,,1,10")
    path = write_file("same.csv", body)
    keys = check(ledger_read(path)).lines["line_key"].tolist()
    assert len(set(keys)) == 2
    assert [key.rsplit("-", 1)[1] for key in keys] == ["0", "1"]


def test_keys_ignore_descriptions_and_number_spelling(write_file):
    first = write_file("a.csv", f"{HEADER_EN}\nI1,05/03/2024,C1,,P1,Red pen,1,1500.5\n")
    second = write_file("b.csv", f'{HEADER_EN}\nI1,5/3/2024,C1,,P1,Pen (red),1.000,"1,500.50"\n')
    assert (
        check(ledger_read(first)).lines["line_key"].tolist()
        == check(ledger_read(second)).lines["line_key"].tolist()
    )


def test_keys_are_stable_from_one_release_to_the_next(write_file):
    path = write_file("stable.csv", f"{HEADER_EN}\nI1,05/03/2024,C1,,P1,,1,10\n")
    assert check(ledger_read(path)).lines["line_key"].tolist() == ["h15860761410464852864-0"]


def test_line_numbers_are_the_keys_when_the_file_has_them(write_file):
    body = lines(WITH_LINES, "I1,1,05/03/2024,C1,10", "I1,2.0,05/03/2024,C1,10")
    path = write_file("ln.csv", body)
    assert check(ledger_read(path)).lines["line_key"].tolist() == ["1", "2"]


def test_an_empty_file_is_not_a_ledger(write_file):
    with pytest.raises(LedgerFileError) as error:
        ledger_read(write_file("empty.csv", "  \n"))
    assert error.value.code == "empty"


def test_an_image_is_not_a_ledger(write_file):
    with pytest.raises(LedgerFileError) as error:
        ledger_read(write_file("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert (error.value.code, error.value.detail) == ("binary", "PNG image")


def test_a_header_without_rows_is_not_a_ledger(write_file):
    with pytest.raises(LedgerFileError) as error:
        ledger_read(write_file("header.csv", HEADER_EN + "\n"))
    assert error.value.code == "no_rows"


def test_a_csv_with_no_ledger_columns_maps_nothing(write_file):
    table = ledger_read(write_file("other.csv", "name,colour\nrose,red\n"))
    assert mapping_guess(table.columns) == {}
    with pytest.raises(LedgerFileError) as error:
        check(table, mapping={})
    assert error.value.code == "mapping"


def test_common_indonesian_export_headers_and_day_first_dates_are_read():
    table = pd.DataFrame(
        {
            "No. Faktur": ["INV/001", "INV/002"],
            "Tgl Faktur": ["31/01/2024", "05/02/2024"],
            "Kode Pelanggan": ["C1", "C2"],
            "Nama Pelanggan": ["PT Maju", "CV Jaya"],
            "Qty": ["2", "3"],
            "Harga Satuan": ["1.500.000", "2.000.000,50"],
            "Tgl Jatuh Tempo": ["01/03/2024", "06/03/2024"],
            "Tanggal Bayar": ["15/03/2024", ""],
        }
    )
    mapping = mapping_guess(table.columns)
    assert mapping == {
        "invoice_number": "No. Faktur",
        "invoice_date": "Tgl Faktur",
        "customer_code": "Kode Pelanggan",
        "customer_name": "Nama Pelanggan",
        "quantity": "Qty",
        "unit_price": "Harga Satuan",
        "due_date": "Tgl Jatuh Tempo",
        "paid_date": "Tanggal Bayar",
    }
    assert date_order_detect(table["Tgl Faktur"].astype("str"))[0] == DateOrder.DMY
    parsed = dates_parse(table["Tgl Faktur"], order="dmy")
    assert [str(value) for value in parsed] == ["2024-01-31", "2024-02-05"]
    assert numbers_parse(table["Harga Satuan"]).tolist() == [1500000.0, 2000000.5]


AMOUNTS = "Invoice,Date,Customer,Amount"


def amounts_file(write_file, *amounts: str, name: str = "amounts.csv"):
    rows = [f'I{n},05/03/2024,C1,"{amount}"' for n, amount in enumerate(amounts, start=1)]
    return write_file(name, lines(AMOUNTS, *rows))


def test_one_decimal_comma_value_is_a_row_error_and_the_column_stays_point(write_file):
    checked = check(ledger_read(amounts_file(write_file, "1.234,50", "261.96", "7.28", "957.5775")))
    assert errors_of(checked) == [[2, "Amount", "1.234,50", "comma_in_point_column"]]
    assert checked.lines["amount"].tolist() == [261.96, 7.28, 957.5775]


def test_one_decimal_point_value_in_a_comma_column_is_a_row_error(write_file):
    checked = check(ledger_read(amounts_file(write_file, "1.234,50", "7,5", "12,25", "3.5")))
    assert errors_of(checked) == [[5, "Amount", "3.5", "point_in_comma_column"]]
    assert checked.lines["amount"].tolist() == [1234.5, 7.5, 12.25]


@pytest.mark.parametrize(
    ("amounts", "stored", "refused"),
    [
        # 1.234 is a thousands group only where the column groups its thousands with dots.
        (["1.234,50", "2.500.000", "1.234"], [1234.5, 2500000.0, 1234.0], []),
        (["7,5", "12,25", "1.234"], [7.5, 12.25], [[4, "1.234", "point_in_comma_column"]]),
        (["261.96", "1.234"], [261.96, 1.234], []),
        (["261.96", "12,500"], [261.96], [[3, "12,500", "comma_in_point_column"]]),
        (["1,234.50", "12,500"], [1234.5, 12500.0], []),
        # A column showing both notations: a value that fits both is refused too.
        (
            ["261.96", "7.28", "1.234", "5,5"],
            [261.96, 7.28],
            [[4, "1.234", "ambiguous_mark"], [5, "5,5", "comma_in_point_column"]],
        ),
    ],
)
def test_a_value_that_fits_both_marks_is_read_only_where_the_column_tells(
    write_file, amounts, stored, refused
):
    checked = check(ledger_read(amounts_file(write_file, *amounts)))
    assert [[row, value, code] for row, _c, value, code in errors_of(checked)] == refused
    assert checked.lines["amount"].tolist() == stored


def test_a_column_that_shows_no_mark_takes_the_files_or_is_refused(write_file):
    body = lines(HEADER_EN, 'I1,05/03/2024,C1,,P1,,1.000,"1,500.50"')
    checked = check(ledger_read(write_file("q.csv", body)))
    assert checked.errors.empty
    assert checked.lines["quantity"].tolist() == [1.0]
    alone = check(ledger_read(amounts_file(write_file, "1.000", "25")))
    assert errors_of(alone) == [[2, "Amount", "1.000", "ambiguous_mark"]]


def test_amounts_keep_four_decimals_and_more_is_a_row_error(write_file):
    checked = check(
        ledger_read(amounts_file(write_file, "957.5775", "0.0001", "1.23456", "12345678901234.56"))
    )
    assert errors_of(checked) == [
        [4, "Amount", "1.23456", "too_precise"],
        [5, "Amount", "12345678901234.56", "too_many_digits"],
    ]
    assert checked.lines["amount"].tolist() == [957.5775, 0.0001]


def test_quantities_with_more_than_three_decimals_are_row_errors(write_file):
    body = lines(HEADER_EN, "I1,05/03/2024,C1,,P1,,1.25,10", "I2,05/03/2024,C1,,P1,,1.2345,10")
    checked = check(ledger_read(write_file("q.csv", body)))
    assert errors_of(checked) == [[3, "Quantity", "1.2345", "too_precise"]]


def test_a_spreadsheets_float_noise_is_read_as_the_spreadsheet_shows_it(write_xlsx):
    path = write_xlsx(
        "noise.xlsx",
        [["Invoice", "Date", "Customer", "Amount"], ["I1", "05/03/2024", "C1", 4501.499999999999]],
    )
    checked = check(ledger_read(path))
    assert checked.errors.empty
    assert checked.lines["amount"].tolist() == [4501.5]


def test_whole_number_codes_written_as_floats_are_the_same_customers_as_in_excel(
    write_file, write_xlsx
):
    body = lines(AMOUNTS, "I1,05/03/2024,14646.0,10", "I2,05/03/2024,14647.00,10")
    from_csv = check(ledger_read(write_file("codes.csv", body)))
    sheet = [
        [AMOUNTS.split(",")],
        ["I1", "05/03/2024", 14646.0, 10],
        ["I2", "05/03/2024", 14647, 10],
    ]
    from_excel = check(ledger_read(write_xlsx("codes.xlsx", [sheet[0][0], *sheet[1:]])))
    assert from_csv.lines["customer_code"].tolist() == ["14646", "14647"]
    assert from_excel.lines["customer_code"].tolist() == ["14646", "14647"]


def test_codes_are_kept_as_written_unless_all_are_whole_numbers(write_file):
    body = lines(AMOUNTS, "I1,05/03/2024,14646.0,10", "I2,05/03/2024,A-7,10")
    checked = check(ledger_read(write_file("codes.csv", body)))
    assert checked.lines["customer_code"].tolist() == ["14646.0", "A-7"]


@pytest.mark.parametrize("padding", [0, 70_000])
def test_a_nul_byte_in_a_cell_is_a_row_error_wherever_it_is(write_file, padding):
    filler = [f"I{n},05/03/2024,C1,PT Sinar {'x' * 40},10" for n in range(padding // 60)]
    header = "Invoice,Date,Customer,CustomerName,Amount"
    body = lines(header, *filler, "INUL,05/03/2024,C2,PT \x00Jaya,5")
    checked = check(ledger_read(write_file("nul.csv", body)))
    assert errors_of(checked) == [[len(filler) + 2, "CustomerName", "PT \u2400Jaya", "nul_byte"]]
    assert len(checked.lines) == len(filler)
