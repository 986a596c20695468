"""Ledger lines for the metrics tests: a purchase on a given day."""

import datetime as dt
from decimal import Decimal

from tests.factories import LedgerLineFactory

DAY = dt.date(2026, 6, 15)


def buy(customer, amount, date=DAY, **fields):
    return LedgerLineFactory(
        customer=customer, invoice_date=date, amount=Decimal(str(amount)), **fields
    )
