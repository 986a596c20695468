"""Lines in another currency than the company's: converted at the month's rate, or refused.

A rate is the company's currency per one unit of the line's currency, kept by admins per
currency and calendar month. Conversion is exact (Decimal), rounded half up to the ledger's
four decimals (fewer only where four would pass the 15 significant digits that are stored
exactly), so a converted total is what a hand computation gives.
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from .arrow import arrow_matches, arrow_strings
from .fields import STORED_DECIMALS
from .numbers import SIGNIFICANT_DIGITS

CURRENCY_CODE = r"^[A-Z]{3}$"  # ISO 4217: three letters
Rates = Mapping[tuple[str, str], Decimal]  # (currency, "YYYY-MM") -> rate


def line_currencies(written: pd.Series | None, *, size: int, default: str) -> np.ndarray:
    """Each line's currency: its own cell where filled (upper case), else the file's."""
    currencies = np.full(size, default.upper(), dtype=object)
    if written is not None:
        filled = (written != "").to_numpy()
        currencies[filled] = written[filled].str.upper().to_numpy(dtype=object)
    return currencies


def currency_codes_valid(currencies: np.ndarray) -> np.ndarray:
    return arrow_matches(arrow_strings(pd.Series(currencies, dtype=object)), CURRENCY_CODE)


def rate_months(dates: np.ndarray) -> np.ndarray:
    """ "YYYY-MM" of each date ("" where there is none)."""
    months = np.datetime_as_string(dates.astype("datetime64[M]"), unit="M")
    return np.where(np.isnat(dates), "", months).astype(object)


def rates_find(currencies: np.ndarray, months: np.ndarray, *, rates: Rates) -> np.ndarray:
    """The rate of each line (None where admins keep none for its currency and month)."""
    return np.array(
        [rates.get((currency, month)) for currency, month in zip(currencies, months, strict=True)],
        dtype=object,
    )


def amounts_convert(amounts: np.ndarray, rates: np.ndarray, *, field: str) -> np.ndarray:
    """amount x rate, exactly, rounded half up to the field's stored decimals (NaN stays)."""
    step = Decimal(1).scaleb(-STORED_DECIMALS[field])
    converted = np.full(len(amounts), np.nan)
    for position, (amount, rate) in enumerate(zip(amounts.tolist(), rates, strict=True)):
        if amount == amount:  # not NaN
            exact = Decimal(repr(amount)) * rate
            whole_digits = max(exact.adjusted() + 1, 1)
            if whole_digits + STORED_DECIMALS[field] > SIGNIFICANT_DIGITS:
                step_here = Decimal(1).scaleb(min(whole_digits - SIGNIFICANT_DIGITS, 0))
            else:
                step_here = step
            converted[position] = float(exact.quantize(step_here, rounding=ROUND_HALF_UP))
    return converted
