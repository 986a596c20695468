"""The matrix page's table rows and its list of accounts not yet placed, drawn in Python: as
template loops, a page of 50 accounts cost more than half the page's time (every row's link,
numbers, money and badges), and the page is read often while a round is scored. The markup
is the template's, each value escaped."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.money import money_format, money_short_all

register = template.Library()

_HUNDREDTH = Decimal("0.01")


def two_places(value, decimal_mark: str) -> str:
    """`floatformat:2`'s text: half up from the value as Python writes it, the language's
    decimal mark; an empty value is an empty text."""
    if value is None:
        return ""
    rounded = Decimal(repr(value)).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
    return str(rounded).replace(".", decimal_mark)


class RowTexts:
    """What every row of a table of accounts shares, computed once per table: texts in the
    page's language, the account link's pattern (with a round)."""

    def __init__(self, *, round_pk: int | None = None):
        self.decimal_mark = get_format("DECIMAL_SEPARATOR")
        if round_pk is not None:
            # One reverse() for the page: the account's pk replaces the placeholder.
            url = reverse("scoring:round_account", args=[round_pk, 0])
            self.account_url = url.rsplit("/0/", 1)
        self.no_competitor = escape(_("No competitor rated: our own weighted score is shown."))

    def url(self, customer_pk: int) -> str:
        return f"{self.account_url[0]}/{customer_pk}/{self.account_url[1]}"

    def box(self, box: str, label: str) -> str:
        box = escape(box)
        return f'<span class="box box-{box}" data-box="{box}">{escape(label)}</span>'


class _Rows(RowTexts):
    """The matrix table's rows."""

    def __init__(self, *, round_pk: int, currency: str):
        super().__init__(round_pk=round_pk)
        self.currency = currency
        self.incomplete = escape(_("incomplete"))
        self.missing = escape(_("missing"))

    def html(self, position, expected, revenue_short: str) -> str:
        customer = position.customer
        strength = two_places(position.relative_strength, self.decimal_mark)
        if position.no_competitor_view:
            strength += f' <span class="badge warn" title="{self.no_competitor}">*</span>'
        tier = escape(customer.tier)
        revenue = escape(money_format(position.revenue, currency=self.currency))
        cells = [
            f'<td class="account-name"><a href="{self.url(customer.pk)}">'
            f"{escape(customer.name)}</a></td>",
            f'<td class="num">{two_places(position.attractiveness, self.decimal_mark)}</td>',
            f'<td class="num">{strength}</td>',
            f"<td>{self.box(position.box, position.box_label)}</td>",
            f'<td><span class="tier tier-{tier}">{tier}</span></td>' if tier else "<td></td>",
            f'<td class="num" title="{revenue}">{escape(revenue_short)}</td>',
        ]
        if expected:
            attractiveness = two_places(expected.attractiveness, self.decimal_mark) or "—"
            cells.append(f'<td class="num" data-foresight-attractiveness>{attractiveness}</td>')
            shown = (
                self.box(expected.box, expected.box_label)
                if expected.complete
                else f'<span class="muted">{self.incomplete}</span>'
            )
            cells.append(f"<td data-foresight-box>{shown}</td>")
        return f'<tr data-customer="{customer.pk}">{"".join(cells)}</tr>'


@register.simple_tag
def matrix_table_rows(page_rows, *, round_pk: int, currency) -> SafeString:
    """The rows of (position, position in three years or None) pairs."""
    row = _Rows(round_pk=round_pk, currency=str(currency))
    revenues = [position.revenue for position, _expected in page_rows]
    revenues = money_short_all(revenues, currency=row.currency)
    return mark_safe(
        "\n".join(
            row.html(position, expected, short)
            for (position, expected), short in zip(page_rows, revenues, strict=True)
        )
    )


@register.simple_tag
def matrix_incomplete_items(positions, *, round_pk: int) -> SafeString:
    """The list items of accounts rated in part: each links to its page and names what is
    missing."""
    rows = _Rows(round_pk=round_pk, currency="")
    return mark_safe(
        "\n".join(
            f'<li><a href="{rows.url(position.customer.pk)}">{escape(position.customer.name)}</a>:'
            f' <span class="muted">{rows.missing} {escape(", ".join(position.missing))}</span></li>'
            for position in positions
        )
    )
