"""Money in the company's currency, written the way the reader's language writes it.

Indonesian: `Rp 1.234.567`, abbreviated `Rp 1,5 jt` / `Rp 2,3 M` (juta, miliar).
English: `IDR 1,234,567`, abbreviated `IDR 1.5M` / `IDR 2.3B`.
Other currencies show their ISO code in both languages.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language

# Currencies that Indonesian readers write with a symbol rather than the ISO code.
SYMBOLS_ID = {"IDR": "Rp"}
# (threshold, suffix, glue between number and suffix), largest first.
SHORT_UNITS = {
    "id": [(10**12, "T", " "), (10**9, "M", " "), (10**6, "jt", " "), (10**3, "rb", " ")],
    "en": [(10**12, "T", ""), (10**9, "B", ""), (10**6, "M", ""), (10**3, "K", "")],
}


def _language() -> str:
    return "id" if (get_language() or "en").split("-")[0] == "id" else "en"


def currency_label(currency: str) -> str:
    """`Rp` for rupiah in Indonesian, else the ISO code."""
    currency = (currency or "IDR").upper()
    return SYMBOLS_ID.get(currency, currency) if _language() == "id" else currency


def money_format(value, *, currency: str, decimals: int = 0) -> str:
    """`Rp 1.234.567` (id) or `IDR 1,234,567` (en); an empty value is a dash."""
    if value is None or value == "":
        return "—"
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    number = number_format(abs(amount), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"{sign}{currency_label(currency)} {number}"


def money_short(value, *, currency: str) -> str:
    """A large figure abbreviated for a chart: `Rp 1,5 jt`, `IDR 2.3B`."""
    return money_short_all([value], currency=currency)[0]


def money_short_all(values, *, currency: str) -> list[str]:
    """`money_short` for many figures (a chart's bubbles), the language looked up once."""
    language = _language()
    label = currency_label(currency)
    decimal_mark, thousands = (",", ".") if language == "id" else (".", ",")
    units = SHORT_UNITS[language]

    def written(number: float, digits: int, *, grouped: bool) -> str:
        # Python writes 1,234.5; the reader's language may swap the two marks.
        text = f"{number:,.{digits}f}" if grouped else f"{number:.{digits}f}"
        return text.translate({ord(","): thousands, ord("."): decimal_mark})

    shown = []
    for value in values:
        if value is None:
            shown.append("—")
            continue
        amount = float(value)
        sign = "-" if amount < 0 else ""
        amount = abs(amount)
        for threshold, suffix, glue in units:
            if amount >= threshold:
                scaled = round(amount / threshold, 1)
                digits = 0 if scaled == int(scaled) else 1
                shown.append(
                    f"{sign}{label} {written(scaled, digits, grouped=False)}{glue}{suffix}"
                )
                break
        else:
            shown.append(f"{sign}{label} {written(round(amount), 0, grouped=True)}")
    return shown


def plotly_separators() -> str:
    """plotly's `separators` layout value: decimal mark then thousands mark."""
    return ",." if _language() == "id" else ".,"
