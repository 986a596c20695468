"""The rating cell, rendered in Python: a grid page draws hundreds of them, and as an included
template each cost about a millisecond, most of the page's time. The grid (`grid_rows`), the
account page and the cell's own fragment (`_rating_cell.html`, the answer to a save) all draw
it here, so it has one markup."""

import json

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.templatetags.money import rating_value

register = template.Library()

_CELL_KEYS = ("customer", "factor", "value", "error", "typed", "competitor", "editable")


class RatingCells:
    """Draws the cells of one page: what they share (the save URL, the page language's texts,
    each stored value's text) is computed once."""

    def __init__(self, *, save_url: str, editable: bool):
        self.saving = f' hx-post="{escape(save_url)}"' if editable else ""
        self.us = _("us")
        self._texts: dict = {}

    def value_text(self, value) -> str:
        """The stored value as the input box shows it (`7.5`, `7,5`), each value once."""
        try:
            return self._texts[value]
        except KeyError:
            text = self._texts[value] = rating_value(value)
            return text

    def cell(self, *, customer, factor, value, competitor=None, error="", typed=None) -> str:
        """A derived factor's value, or the input for a rating (its error, if the last save
        was refused)."""
        if factor.metric and not competitor:  # a competitor's strength is rated by people
            return self._derived(factor=factor, value=value)
        return self._input(
            customer=customer,
            factor=factor,
            value=value,
            competitor=competitor,
            error=error,
            typed=typed,
        )

    def _derived(self, *, factor, value) -> str:
        title = _("Rated automatically from %(metric)s") % {"metric": factor.get_metric_display()}
        shown = self.value_text(value) if value is not None else "—"
        return (
            f'<div class="cell derived" title="{escape(title)}">'
            f'<span class="derived-value">{escape(shown)}</span>'
            f' <span class="badge">{escape(_("derived"))}</span></div>'
        )

    def _input(self, *, customer, factor, value, competitor, error, typed) -> str:
        # Whose strength a strength cell rates: a competitor's, or ours.
        us = self.us if factor.axis == "strength" else ""
        subject = competitor.name if competitor else us
        stored = escape(self.value_text(value))
        label = f"{customer.name} · {factor.name}" + (f" · {subject}" if subject else "")
        if self.saving:
            posted = {"customer": str(customer.pk), "factor": str(factor.pk)}
            if competitor:
                posted["competitor"] = str(competitor.pk)
            values = escape(json.dumps(posted, separators=(",", ":")))
            saving = f'{self.saving} hx-vals="{values}"'
        else:
            saving = " disabled"
        message = ""
        if error:
            if value is not None:
                kept = _("The saved rating is still %(stored)s.") % {
                    "stored": floatformat(value, "-2")
                }
            else:
                kept = _("Nothing was saved.")
            message = (
                f'<span class="cell-msg error" role="alert">'
                f"{conditional_escape(error)} {escape(kept)}</span>"
            )
        shown = escape(typed) if typed is not None else stored
        subject_id = competitor.pk if competitor else "us"
        invalid = ' aria-invalid="true"' if error else ""
        return (
            f'<div class="cell{" invalid" if error else ""}"><input type="text"'
            f' inputmode="decimal" name="value" autocomplete="off" class="rating-input"'
            f' id="rating-{customer.pk}-{factor.pk}-{subject_id}" value="{shown}"'
            f' data-stored="{stored}" aria-label="{escape(label)}" data-factor="{factor.pk}"'
            f"{invalid}{saving}>{message}</div>"
        )


@register.simple_tag(takes_context=True)
def rating_cell(context, **given) -> SafeString:
    """One cell. Reads customer, factor, value, error, typed, competitor and editable from the
    context unless given; the save URL from `save_url` or the round."""
    cell = {key: given[key] if key in given else context.get(key) for key in _CELL_KEYS}
    save_url = context.get("save_url") or reverse("scoring:rating_save", args=[context["round"].pk])
    cells = RatingCells(save_url=save_url, editable=bool(cell.pop("editable")))
    return mark_safe(cells.cell(**cell))
