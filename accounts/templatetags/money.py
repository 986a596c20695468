"""`{{ amount|money:company_currency }}`: money in the company's currency, per language
(`money_short` abbreviates it)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from ..models import CompanySettings
from ..money import money_format
from ..money import money_short as money_short_format

register = template.Library()


@register.filter
def money(value, currency=None) -> str:
    """Pass `company_currency` (every page's context has it); without it, one query."""
    return money_format(value, currency=str(currency or CompanySettings.load().currency))


@register.filter
def money_short(value, currency=None) -> str:
    """`IDR 2.3B`, `Rp 1,5 jt`: a figure abbreviated where a table is narrow."""
    return money_short_format(value, currency=str(currency or CompanySettings.load().currency))


@register.filter
def rating_value(value) -> str:
    """A rating for an input box: `7.5` in English, `7,5` in Indonesian; no trailing zeros."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    except InvalidOperation:  # too large for two places: not a rating, shown as given
        return value
    if not number.is_finite():  # nan passes quantize; it is not a rating either
        return value

    decimals = max(0, -number.as_tuple().exponent)
    return number_format(number, decimal_pos=decimals, use_l10n=True)
