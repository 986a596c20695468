"""Ledger lines in other currencies: converted at the month's rate, exactly, or refused."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.ledger.parsing import ledger_check, ledger_read, line_keys_hash, mapping_guess
from accounts.ledger.parsing.currency import amounts_convert
from accounts.ledger.services import ledger_import_path
from accounts.models import CompanySettings, CurrencyRate, Customer, LedgerLine

TODAY = dt.date(2025, 1, 31)
HEADER = "Invoice,Date,Customer,Amount,Cost,Currency"
RATES = {("USD", "2024-03"): Decimal("15612.345"), ("SGD", "2024-03"): Decimal("11650.5")}


def check(path, **options):
    table = ledger_read(path)
    return ledger_check(
        table,
        mapping=mapping_guess(table.columns),
        date_order="ymd",
        today=TODAY,
        company_currency="IDR",
        **options,
    )


def errors_of(checked):
    return checked.errors[["row", "column", "value", "code"]].values.tolist()


def test_a_line_in_another_currency_is_converted_at_its_months_rate(write_file):
    path = write_file(
        "usd.csv",
        f"{HEADER}\nI1,2024-03-05,C1,100.50,80.25,USD\nI2,2024-03-06,C1,1000,,IDR\n"
        "I3,2024-03-07,C2,2.0001,,sgd\n",
    )
    checked = check(path, rates=RATES)
    assert errors_of(checked) == []
    lines = checked.lines.set_index("invoice_number")
    # By hand: 100.50 x 15,612.345 = 1,569,040.6725; 80.25 x 15,612.345 = 1,252,890.68625
    # -> 1,252,890.6863 (half up); 2.0001 x 11,650.5 = 23,302.16505 -> 23,302.1651.
    assert lines.loc["I1", "amount"] == 1_569_040.6725
    assert lines.loc["I1", "cost"] == 1_252_890.6863
    assert lines.loc["I3", "amount"] == 23_302.1651
    assert lines.loc["I1", "original_amount"] == 100.5
    assert lines.loc["I1", "exchange_rate"] == Decimal("15612.345")
    assert list(lines["currency"]) == ["USD", "", "SGD"]
    assert lines.loc["I2", "amount"] == 1000


def test_a_line_without_a_rate_for_its_month_is_a_row_error_naming_currency_and_month(
    write_file,
):
    path = write_file("usd.csv", f"{HEADER}\nI1,2024-04-01,C1,5,,USD\nI2,2024-03-01,C1,5,,EUR\n")
    checked = check(path, rates=RATES)
    assert errors_of(checked) == [
        [2, "Currency", "USD 2024-04", "no_rate"],
        [3, "Currency", "EUR 2024-03", "no_rate"],
    ]
    assert checked.lines.empty


def test_a_currency_cell_that_is_not_a_code_is_a_row_error(write_file):
    path = write_file("bad.csv", f"{HEADER}\nI1,2024-03-01,C1,5,,US$\n")
    assert errors_of(check(path, rates=RATES)) == [[2, "Currency", "US$", "currency_code"]]


def test_the_file_currency_applies_to_lines_without_their_own(write_file):
    path = write_file("plain.csv", "Invoice,Date,Customer,Amount\nI1,2024-03-05,C1,2\n")
    checked = check(path, rates=RATES, file_currency="USD")
    assert checked.lines["amount"].tolist() == [31_224.69]
    assert checked.lines["currency"].tolist() == ["USD"]
    refused = check(path, rates={}, file_currency="USD")
    assert errors_of(refused) == [[2, "currency", "USD 2024-03", "no_rate"]]


def test_company_currency_lines_keep_their_keys_and_converted_lines_name_their_currency(
    write_file,
):
    path = write_file(
        "mixed.csv", f"{HEADER}\nI1,2024-03-05,C1,10,,IDR\nI1,2024-03-05,C1,10,,USD\n"
    )
    checked = check(path, rates=RATES)
    keys = checked.lines["line_key"].tolist()
    written = checked.lines.assign(amount=[10.0, 10.0])
    plain = line_keys_hash(written.drop(columns=["line_key"]))
    # The same line key as before currencies existed, so re-imports never double-count;
    # the converted twin is told apart by its currency, not by a rate that may change.
    assert keys[0] == plain[0]
    assert keys[1] == plain[1] + "-USD"


@settings(max_examples=200, deadline=None)
@given(
    cents=st.lists(st.integers(min_value=-(10**9), max_value=10**9), min_size=1, max_size=20),
    rate=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999"), places=4),
)
def test_conversion_equals_decimal_arithmetic(cents, rate):
    amounts = np.array([value / 10_000 for value in cents])
    converted = amounts_convert(
        amounts, np.array([rate] * len(cents), dtype=object), field="amount"
    )
    expected = [
        float((Decimal(value).scaleb(-4) * rate).quantize(Decimal("0.0001"), ROUND_HALF_UP))
        for value in cents
    ]
    assert converted.tolist() == expected


@pytest.mark.django_db
def test_an_import_stores_converted_amounts_and_what_was_written(write_file, admin_user):
    CurrencyRate.objects.create(
        currency="USD", month=dt.date(2024, 3, 1), rate=RATES[("USD", "2024-03")]
    )
    path = write_file("usd.csv", f"{HEADER}\nI1,2024-03-05,C1,100.50,,USD\nI2,2024-03-06,C1,7,,\n")
    ledger_import = ledger_import_path(path=path, user=admin_user)
    assert ledger_import.status == "done", ledger_import.message
    assert ledger_import.rows_converted == 1
    line = LedgerLine.objects.get(invoice_number="I1")
    assert (line.amount, line.original_amount) == (Decimal("1569040.6725"), Decimal("100.5"))
    assert (line.currency, line.exchange_rate) == ("USD", Decimal("15612.345"))
    other = LedgerLine.objects.get(invoice_number="I2")
    assert (other.amount, other.currency, other.original_amount) == (Decimal(7), "", None)
    # The same file again adds nothing, even after the rate is corrected.
    CurrencyRate.objects.filter(currency="USD").update(rate=Decimal("15000"))
    again = ledger_import_path(path=path, user=admin_user)
    assert (again.rows_imported, again.rows_duplicate) == (0, 2)
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_a_missing_rate_rejects_the_file_and_stores_nothing(write_file, admin_user):
    path = write_file("usd.csv", f"{HEADER}\nI1,2024-03-05,C1,100.50,,USD\n")
    ledger_import = ledger_import_path(path=path, user=admin_user)
    assert ledger_import.status == "rejected"
    assert ledger_import.errors == [
        {"row": 2, "column": "Currency", "value": "USD 2024-03", "code": "no_rate"}
    ]
    assert not LedgerLine.objects.exists()


@pytest.mark.django_db
def test_the_company_currency_cannot_change_under_a_stored_ledger(write_file, admin_user):
    company = CompanySettings.load()
    company.currency = "USD"
    company.full_clean()  # no ledger yet: allowed
    company.save()
    path = write_file("plain.csv", "Invoice,Date,Customer,Amount\nI1,2024-03-05,C1,2\n")
    ledger_import_path(path=path, user=admin_user)
    company.currency = "IDR"
    with pytest.raises(ValidationError, match="cannot change while ledger lines exist"):
        company.full_clean()


@pytest.mark.django_db
def test_a_rate_is_positive_per_month_and_never_for_the_companys_currency():
    rate = CurrencyRate(currency="USD", month=dt.date(2024, 3, 17), rate=Decimal("15000"))
    rate.full_clean()
    assert rate.month == dt.date(2024, 3, 1)
    with pytest.raises(ValidationError, match="more than zero"):
        CurrencyRate(currency="USD", month=dt.date(2024, 3, 1), rate=Decimal("0")).full_clean()
    with pytest.raises(ValidationError, match="own currency needs no rate"):
        CurrencyRate(currency="IDR", month=dt.date(2024, 3, 1), rate=Decimal("1")).full_clean()
    with pytest.raises(ValidationError, match="three capital letters"):
        CurrencyRate(currency="usd", month=dt.date(2024, 3, 1), rate=Decimal("1")).full_clean()
