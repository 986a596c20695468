"""Running ledger imports against the database: counts, idempotence, all-or-nothing."""

import csv
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.ledger import store
from accounts.ledger.selectors import ledger_mapping_for_columns
from accounts.ledger.services import ledger_import_path, ledger_mapping_save
from accounts.models import Customer, LedgerImport, LedgerLine
from tests.accounts.conftest import HEADER_EN, LEDGER_EN
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def run(path, **options):
    return ledger_import_path(path=path, **options)


def test_import_stores_lines_and_creates_customers_on_first_sight(write_file, admin_user):
    CustomerFactory(code="C002", name="Known customer")
    result = run(write_file("en.csv", LEDGER_EN), user=admin_user)
    assert result.status == LedgerImport.Status.DONE
    assert (result.rows_total, result.rows_imported, result.customers_created) == (4, 4, 1)
    assert LedgerLine.objects.count() == 4
    assert Customer.objects.get(code="C001").name == "PT Sinar"
    assert Customer.objects.get(code="C002").name == "Known customer"
    line = LedgerLine.objects.get(invoice_number="INV2")
    assert (line.amount, line.quantity, line.product_code) == (
        Decimal("4501.50"),
        Decimal("3.000"),
        "P1",
    )


def test_credit_notes_are_stored_as_negative_revenue(write_file):
    run(write_file("en.csv", LEDGER_EN))
    assert LedgerLine.objects.get(invoice_number="C-INV3").amount == Decimal("-1500.50")


def test_import_is_recorded_with_user_file_checksum_counts_and_duration(write_file, admin_user):
    result = run(write_file("en.csv", LEDGER_EN), user=admin_user)
    result.refresh_from_db()
    assert result.created_by == admin_user
    assert result.file_name == "en.csv"
    assert len(result.checksum) == 64
    assert result.duration is not None and result.finished_at is not None
    assert result.errors == [] and result.error_count == 0


def test_importing_the_same_file_again_adds_nothing(write_file):
    path = write_file("en.csv", LEDGER_EN)
    run(path)
    again = run(path)
    assert (again.rows_imported, again.rows_duplicate) == (0, 4)
    assert LedgerLine.objects.count() == 4


def test_an_overlapping_file_adds_only_its_new_lines(write_file):
    lines = LEDGER_EN.strip().splitlines()
    run(write_file("first.csv", "\n".join(lines[:4])))
    overlap = "\n".join([lines[0], *lines[2:], "INV4,20/03/2024,C002,CV Maju,P2,Pen,1,100"])
    result = run(write_file("second.csv", overlap))
    assert (result.rows_imported, result.rows_duplicate) == (2, 2)
    assert LedgerLine.objects.count() == 5


def test_identical_lines_within_an_invoice_are_all_revenue(write_file):
    body = f"{HEADER_EN}\nI1,05/03/2024,C1,,P1,,1,10\nI1,05/03/2024,C1,,P1,,1,10\n"
    run(write_file("same.csv", body))
    assert LedgerLine.objects.filter(invoice_number="I1").count() == 2
    assert run(write_file("same2.csv", body)).rows_duplicate == 2


def test_a_file_with_errors_imports_nothing_by_default(write_file):
    body = LEDGER_EN + "INV5,32/03/2024,C003,,P1,,1,10\nINV6,20/03/2024,C003,,P1,,x,10\n"
    result = run(write_file("bad.csv", body))
    assert result.status == LedgerImport.Status.REJECTED
    assert (result.rows_invalid, result.error_count, result.rows_imported) == (2, 2, 0)
    assert LedgerLine.objects.count() == 0
    assert not Customer.objects.exists()


def test_the_error_csv_names_file_row_column_and_value(write_file):
    result = run(write_file("bad.csv", LEDGER_EN + "INV5,32/03/2024,C003,,P1,,1,10\n"))
    with result.errors_file.open("rb") as handle:
        rows = list(csv.reader(handle.read().decode("utf-8-sig").splitlines()))
    assert rows == [
        ["file", "row", "column", "value", "error"],
        ["bad.csv", "6", "InvoiceDate", "32/03/2024", "not a date in the chosen date format"],
    ]


def test_valid_only_imports_the_valid_rows(write_file):
    body = LEDGER_EN + "INV5,32/03/2024,C003,,P1,,1,10\n"
    result = run(write_file("bad.csv", body), valid_only=True)
    assert result.status == LedgerImport.Status.DONE
    assert (result.rows_imported, result.rows_invalid) == (4, 1)
    assert LedgerLine.objects.count() == 4


def test_rows_without_a_customer_are_reported_as_skipped(write_file):
    result = run(write_file("nc.csv", LEDGER_EN + "INV7,20/03/2024,,,P1,,2,10\n"))
    assert (result.rows_skipped, result.skipped_amount) == (1, Decimal("20.00"))
    assert result.status == LedgerImport.Status.DONE


def test_excel_files_are_imported(write_xlsx):
    path = write_xlsx(
        "ledger.xlsx",
        [["No Faktur", "Tanggal", "Pelanggan", "Total"], ["F1", "05/03/2024", "C9", 1000]],
    )
    result = run(path)
    assert result.rows_imported == 1
    assert LedgerLine.objects.get().amount == Decimal("1000.00")


def test_line_numbers_make_the_keys(write_file):
    body = "Invoice,Line,Date,Customer,Amount\nI1,1,05/03/2024,C1,10\nI1,2,05/03/2024,C1,10\n"
    run(write_file("ln.csv", body))
    assert sorted(LedgerLine.objects.values_list("line_key", flat=True)) == ["1", "2"]


def test_a_failure_while_storing_leaves_nothing_and_a_rerun_works(write_file, monkeypatch):
    path = write_file("en.csv", LEDGER_EN)
    real_insert = store.ledger_lines_insert

    def insert_then_die(**kwargs):
        real_insert(**kwargs)
        raise RuntimeError("worker lost")

    monkeypatch.setattr(store, "ledger_lines_insert", insert_then_die)
    with pytest.raises(RuntimeError):
        run(path)
    assert LedgerLine.objects.count() == 0
    assert not Customer.objects.exists()
    assert LedgerImport.objects.get().status == LedgerImport.Status.FAILED
    monkeypatch.setattr(store, "ledger_lines_insert", real_insert)
    assert run(path).rows_imported == 4


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "The file is empty."),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "it looks like a JPEG image"),
        ("other.csv", b"name,colour\nrose,red\n", "No column of this file looks like"),
        ("fake.xlsx", b"PK\x03\x04 not really a workbook", "could not be read as CSV or Excel"),
    ],
)
def test_files_that_are_not_ledgers_fail_with_a_clear_message(write_file, name, content, message):
    result = run(write_file(name, content))
    assert result.status == LedgerImport.Status.FAILED
    assert message in result.message
    assert LedgerLine.objects.count() == 0


def test_a_given_mapping_and_date_format_are_used(write_file):
    body = "Doc,When,Who,Value\nD1,03/25/2024,K1,5\n"
    result = run(
        write_file("odd.csv", body),
        mapping={
            "invoice_number": "Doc",
            "invoice_date": "When",
            "customer_code": "Who",
            "amount": "Value",
        },
        date_format="mdy",
    )
    assert result.rows_imported == 1
    assert str(LedgerLine.objects.get().invoice_date) == "2024-03-25"


def test_a_saved_mapping_is_found_for_the_same_columns(admin_user):
    saved = ledger_mapping_save(
        name="ERP export",
        columns=["Doc", "When", "Who", "Value"],
        mapping={"invoice_number": "Doc"},
        date_format="mdy",
        user=admin_user,
    )
    assert ledger_mapping_for_columns(columns=["Who", "Doc", "Value", "When"]) == saved
    assert ledger_mapping_for_columns(columns=["Doc", "When"]) is None


def test_a_finished_import_starts_the_recompute(write_file, django_capture_on_commit_callbacks):
    from accounts.models import CustomerMetrics, MetricsRun

    path = write_file("en.csv", LEDGER_EN)
    with django_capture_on_commit_callbacks(execute=True):
        run(path)
    recompute = MetricsRun.objects.get()
    assert recompute.trigger == MetricsRun.Trigger.IMPORT
    assert recompute.status == MetricsRun.Status.SUCCEEDED
    assert CustomerMetrics.objects.count() == Customer.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        run(path)  # nothing new: no second recompute
    assert MetricsRun.objects.count() == 1


EXACT = "Invoice,Date,Customer,Amount"


def test_a_ledger_with_four_decimal_amounts_totals_exactly_what_the_file_totals(write_file):
    amounts = ["957.5775", "0.0001", "261.96", "-7.2825", "12345678.9999"]
    body = "\n".join([EXACT, *(f"I{n},05/03/2024,C1,{a}" for n, a in enumerate(amounts))])
    result = run(write_file("exact.csv", body + "\n"))
    assert result.rows_imported == 5
    stored = list(LedgerLine.objects.values_list("amount", flat=True))
    assert sorted(stored) == sorted(Decimal(amount) for amount in amounts)
    assert sum(stored) == Decimal("12346891.2550")


def test_a_value_with_more_than_four_decimals_is_refused_not_rounded(write_file):
    result = run(write_file("precise.csv", f"{EXACT}\nI1,05/03/2024,C1,957.57751\n"))
    assert result.status == LedgerImport.Status.REJECTED
    assert result.errors == [
        {"row": 2, "column": "Amount", "value": "957.57751", "code": "too_precise"}
    ]


def test_a_nul_byte_deep_in_the_file_is_a_row_error_and_nothing_is_stored(write_file):
    filler = [f"I{n},05/03/2024,C1,PT Sinar {'x' * 40},10" for n in range(1500)]
    body = "\n".join(["Invoice,Date,Customer,CustomerName,Amount", *filler])
    result = run(write_file("nul.csv", body + "\nINUL,05/03/2024,C2,PT \x00Jaya,5\n"))
    assert result.status == LedgerImport.Status.REJECTED
    assert result.errors == [
        {"row": 1502, "column": "CustomerName", "value": "PT \u2400Jaya", "code": "nul_byte"}
    ]
    assert LedgerLine.objects.count() == 0
    kept = run(
        write_file("nul2.csv", body + "\nINUL,05/03/2024,C2,PT \x00Jaya,5\n"), valid_only=True
    )
    assert kept.rows_imported == 1500
    assert not Customer.objects.filter(code="C2").exists()


def test_the_error_csv_neutralises_formulas_from_the_file(write_file):
    body = "Invoice,Date,=Customer,Amount\nI1,05/03/2024,C1,=1+2\nI2,05/03/2024,C1,-3x\n"
    result = run(
        write_file("=evil.csv", body),
        mapping={
            "invoice_number": "Invoice",
            "invoice_date": "Date",
            "customer_code": "=Customer",
            "amount": "Amount",
        },
    )
    with result.errors_file.open("rb") as handle:
        rows = list(csv.reader(handle.read().decode("utf-8-sig").splitlines()))
    assert rows[1:] == [
        ["'=evil.csv", "2", "Amount", "'=1+2", "not a number"],
        ["'=evil.csv", "3", "Amount", "'-3x", "not a number"],
    ]


# --- Property: amounts are stored as written, or refused -------------------------------

MARKS = {"point": (".", ","), "comma": (",", ".")}  # notation: (decimal mark, thousands)
AMOUNT = st.builds(
    lambda units, places: Decimal(units).scaleb(-places),
    st.integers(min_value=-(10**10), max_value=10**10),
    st.integers(min_value=0, max_value=4),
)
EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def written(value: Decimal, *, notation: str, grouping: bool) -> str:
    decimal_mark, thousands = MARKS[notation]
    whole, _, fraction = f"{abs(value):f}".partition(".")
    if grouping:
        whole = f"{int(whole):,}".replace(",", thousands)
    return ("-" if value < 0 else "") + whole + (decimal_mark + fraction if fraction else "")


def ledger_store(cells: list[str]) -> LedgerImport:
    """Import an amount column through the real path (read, check, store), valid rows only."""
    LedgerLine.objects.all().delete()
    Customer.objects.all().delete()
    rows = [f'P{n},05/03/2024,C{n % 7},"{cell}"' for n, cell in enumerate(cells)]
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
        handle.write("\n".join([EXACT, *rows]) + "\n")
    return ledger_import_path(path=Path(handle.name), valid_only=True)


def stored_amounts() -> dict[int, Decimal]:
    lines = LedgerLine.objects.values_list("invoice_number", "amount")
    return {int(invoice[1:]): amount for invoice, amount in lines}


@EXAMPLES
@given(
    values=st.lists(AMOUNT, min_size=1, max_size=30),
    notation=st.sampled_from(list(MARKS)),
    grouping=st.booleans(),
)
def test_an_amount_column_written_in_one_notation_stores_the_files_exact_sum(
    values, notation, grouping
):
    # One value that shows the notation (and its thousands separator, when grouped), as
    # any real column of amounts does; a column of only 1.234-like values says neither.
    values = [Decimal("1234567.89"), *values]
    result = ledger_store([written(v, notation=notation, grouping=grouping) for v in values])
    assert (result.status, result.rows_invalid) == (LedgerImport.Status.DONE, 0)
    assert sum(stored_amounts().values()) == sum(values)
    assert sorted(stored_amounts().values()) == sorted(values)


@EXAMPLES
@given(values=st.lists(st.tuples(AMOUNT, st.sampled_from(list(MARKS))), min_size=1, max_size=30))
def test_an_amount_column_mixing_notations_gives_row_errors_never_another_value(values):
    # Both notations are certainly present: one unambiguous value of each.
    values = [(Decimal("0.25"), "point"), (Decimal("0.75"), "comma"), *values]
    cells = [written(value, notation=notation, grouping=False) for value, notation in values]
    result = ledger_store(cells)
    assert result.rows_invalid >= 1
    for row, amount in stored_amounts().items():
        assert amount == values[row][0], cells[row]
