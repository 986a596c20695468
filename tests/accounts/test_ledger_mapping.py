"""The mapping guesser: invoice-number and row-number headers, the closest columns offered
for a missing field, and `--map`-style overrides that keep the other guesses."""

import difflib

import pytest
from django.utils import translation

from accounts.ledger.messages import mapping_problems_message
from accounts.ledger.parsing import (
    header_normalise,
    mapping_guess,
    mapping_override,
    mapping_problems,
    mapping_suggestions,
)


@pytest.mark.parametrize(
    "header",
    ["Order ID", "ORDERNUMBER", "Order No", "Order No.", "No. Faktur", "Invoice", "Sales Order",
     "Invoice #", "No. Transaksi", "Nomor Pesanan"],
)  # fmt: skip
def test_common_invoice_number_headers_are_recognised(header):
    assert mapping_guess([header, "Date", "Customer", "Amount"])["invoice_number"] == header


@pytest.mark.parametrize(
    "header", ["Row", "Row ID", "Row No", "ORDERLINENUMBER", "Line No", "No", "Line Item"]
)
def test_row_and_line_number_headers_are_recognised(header):
    mapping = mapping_guess(["Invoice", header, "Date", "Customer", "Amount"])
    assert mapping["line_number"] == header
    assert mapping["invoice_number"] == "Invoice"


def test_the_sample_sales_layout_is_mapped_without_help():
    columns = ["ORDERNUMBER", "QUANTITYORDERED", "PRICEEACH", "ORDERLINENUMBER", "SALES",
               "ORDERDATE", "STATUS", "PRODUCTCODE", "CUSTOMERNAME", "COUNTRY"]  # fmt: skip
    assert mapping_guess(columns) == {
        "invoice_number": "ORDERNUMBER",
        "line_number": "ORDERLINENUMBER",
        "invoice_date": "ORDERDATE",
        "customer_name": "CUSTOMERNAME",
        "product_code": "PRODUCTCODE",
        "quantity": "QUANTITYORDERED",
        "unit_price": "PRICEEACH",
        "amount": "SALES",
    }


def test_an_order_date_is_a_date_not_an_invoice_number():
    mapping = mapping_guess(["Order Date", "Order ID", "Customer ID", "Sales"])
    assert mapping["invoice_date"] == "Order Date"
    assert mapping["invoice_number"] == "Order ID"


def test_missing_required_fields_get_the_closest_columns():
    columns = ["Invoce Num", "Datum", "Client", "Total (Rp)"]
    mapping = mapping_guess(columns)
    assert "invoice_number" not in mapping and "customer_code" not in mapping
    assert mapping_suggestions(mapping, columns) == {
        "invoice_number": ["Invoce Num"],
        "invoice_date": ["Datum"],
        # Held by the customer name, an optional field: still the best customer code.
        "customer_code": ["Client"],
    }


def test_suggestions_come_best_first_by_their_closeness_to_the_field_names():
    columns = ["Invoice", "Date", "Cstmr Nm", "Kustomer", "Amount"]
    suggestions = mapping_suggestions(mapping_guess(columns), columns)

    def closeness(column):  # by hand: the best ratio against the field's listed names
        name = header_normalise(column)
        names = ("customercode", "customerid", "customer", "custcode", "custid", "custno", "cust")
        return max(difflib.SequenceMatcher(None, name, alias).ratio() for alias in names)

    assert closeness("Kustomer") > closeness("Cstmr Nm") >= 0.6
    assert suggestions == {"customer_code": ["Kustomer", "Cstmr Nm"]}


def test_a_column_is_offered_only_for_the_field_it_comes_closest_to():
    columns = ["Invoce Num", "Datum", "Customer", "Amount"]
    suggestions = mapping_suggestions({"customer_code": "Customer", "amount": "Amount"}, columns)
    assert suggestions == {"invoice_number": ["Invoce Num"], "invoice_date": ["Datum"]}


def test_no_suggestion_when_no_column_comes_close():
    columns = ["Ref", "When", "Who", "Value"]
    assert mapping_suggestions(mapping_guess(columns), columns) == {}


def test_columns_held_by_required_fields_are_not_offered():
    columns = ["Invoice", "Date", "Customer", "Amount"]
    mapping = {"invoice_number": "Invoice", "invoice_date": "Date", "amount": "Amount"}
    # "Customer" is an exact customer-code name, but here the test holds it for nothing:
    assert mapping_suggestions(mapping, columns) == {"customer_code": ["Customer"]}
    mapping["invoice_number"] = "Customer"
    assert "customer_code" not in mapping_suggestions(mapping, columns)


def test_a_missing_amount_gets_the_closest_columns():
    columns = ["Invoice", "Date", "Customer", "Amt", "Colour"]
    assert mapping_suggestions(mapping_guess(columns), columns) == {"amount": ["Amt"]}


def test_the_problem_message_names_the_closest_columns():
    columns = ["Invoce Num", "Date", "Customer", "Amount"]
    mapping = mapping_guess(columns)
    with translation.override("en"):
        message = mapping_problems_message(
            mapping_problems(mapping, columns), mapping_suggestions(mapping, columns)
        )
    assert message == (
        "The mapping is incomplete: Invoice number must be mapped "
        "(closest columns of the file: “Invoce Num”)."
    )


def test_an_override_replaces_only_its_field_and_keeps_the_other_guesses():
    columns = ["Invoice", "Date", "Client", "Amount", "Line"]
    guessed = mapping_guess(columns)
    mapping = mapping_override(columns, {"customer_code": "Client"})
    assert mapping == guessed | {"customer_code": "Client"}
    assert mapping["line_number"] == "Line"


def test_an_override_matches_the_header_in_any_case_and_spacing():
    columns = ["Order ID", "Date", "Client", "Amount"]
    assert mapping_override(columns, {"customer_code": "client"})["customer_code"] == "Client"
    assert mapping_override(columns, {"invoice_number": "orderid"})["invoice_number"] == "Order ID"


def test_a_blank_override_drops_the_guess_and_an_unknown_column_is_reported():
    columns = ["Invoice", "Date", "Customer", "Amount", "No"]
    assert "line_number" not in mapping_override(columns, {"line_number": ""})
    mapping = mapping_override(columns, {"amount": "Amnt"})
    assert ("unknown_column", "amount") in mapping_problems(mapping, columns)
