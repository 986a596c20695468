"""The rating cell, rendered in Python: a grid page draws hundreds of them, and as an included
template each cost about a millisecond, most of the page's time. The grid and the cell's own
fragment (`_rating_cell.html`, the answer to a save) both draw it here, so it has one markup."""

import json

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.templatetags.money import rating_value

register = template.Library()

_CELL_KEYS = ("customer", "factor", "value", "error", "typed", "competitor", "editable")


@register.simple_tag(takes_context=True)
def rating_cell(context, **given) -> str:
    """One cell: a derived factor's value, or the input for a rating (its error, if the last
    save was refused). Reads customer, factor, value, error, typed, competitor and editable
    from the context unless given; the save URL from `save_url` or the round."""
    cell = {key: given[key] if key in given else context.get(key) for key in _CELL_KEYS}
    factor = cell["factor"]
    value = cell["value"]
    if factor.metric and not cell["competitor"]:  # a competitor's strength is rated by people
        return _derived_cell(factor=factor, value=value)
    save_url = context.get("save_url") or reverse("scoring:rating_save", args=[context["round"].pk])
    return _input_cell(cell, save_url=save_url)


def _derived_cell(*, factor, value) -> str:
    title = _("Rated automatically from %(metric)s") % {"metric": factor.get_metric_display()}
    shown = rating_value(value) if value is not None else "—"
    return format_html(
        '<div class="cell derived" title="{}"><span class="derived-value">{}</span>'
        ' <span class="badge">{}</span></div>',
        title,
        shown,
        _("derived"),
    )


def _input_cell(cell: dict, *, save_url: str) -> str:
    customer, factor, competitor = cell["customer"], cell["factor"], cell["competitor"]
    value, error, typed = cell["value"], cell["error"], cell["typed"]
    # Whose strength a strength cell rates: a competitor's, or ours.
    us = _("us") if factor.axis == "strength" else ""
    subject = competitor.name if competitor else us
    stored = rating_value(value)
    label = f"{customer.name} · {factor.name}" + (f" · {subject}" if subject else "")
    if cell["editable"]:
        posted = {"customer": str(customer.pk), "factor": str(factor.pk)}
        if competitor:
            posted["competitor"] = str(competitor.pk)
        saving = format_html(
            ' hx-post="{}" hx-vals="{}"', save_url, json.dumps(posted, separators=(",", ":"))
        )
    else:
        saving = mark_safe(" disabled")
    message = ""
    if error:
        if value is not None:
            kept = _("The saved rating is still %(stored)s.") % {"stored": floatformat(value, "-2")}
        else:
            kept = _("Nothing was saved.")
        message = format_html('<span class="cell-msg error" role="alert">{} {}</span>', error, kept)
    return format_html(
        '<div class="cell{}"><input type="text" inputmode="decimal" name="value"'
        ' autocomplete="off" class="rating-input" id="rating-{}-{}-{}" value="{}"'
        ' data-stored="{}" aria-label="{}" data-factor="{}"{}{}>{}</div>',
        " invalid" if error else "",
        customer.pk,
        factor.pk,
        competitor.pk if competitor else "us",
        typed if typed is not None else stored,
        stored,
        label,
        factor.pk,
        mark_safe(' aria-invalid="true"') if error else "",
        saving,
        message,
    )
