"""The rating grid's rows and an account's scores, drawn in Python: as template loops a grid
page of 25 accounts cost most of the page's time, and the grid is read on every visit while
a round is scored. The scores are also what a save sends back out of band and what the
account page shows (`_scores.html`), so they have one markup, here."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .matrix_rows import RowTexts, two_places
from .rating_cells import RatingCells

register = template.Library()

_SWAP = ' hx-swap-oob="true"'


class _Scores:
    """An account's scores, in the page's language."""

    def __init__(self, *, texts: RowTexts):
        self.texts = texts
        self.no_competitor_view = escape(_("no competitor view"))

    def attractiveness(self, position, *, oob: bool = False) -> str:
        score = two_places(position.attractiveness, self.texts.decimal_mark) or "—"
        swap = _SWAP if oob else ""
        return f'<span id="score-a-{position.customer.pk}" class="score"{swap}>{score}</span>'

    def strength(self, position, *, oob: bool = False) -> str:
        score = two_places(position.relative_strength, self.texts.decimal_mark) or "—"
        if position.no_competitor_view and position.relative_strength is not None:
            score += (
                f' <span class="badge warn" title="{self.texts.no_competitor}">'
                f"{self.no_competitor_view}</span>"
            )
        swap = _SWAP if oob else ""
        return f'<span id="score-s-{position.customer.pk}" class="score"{swap}>{score}</span>'

    def box(self, position, *, oob: bool = False) -> str:
        if position.complete:
            shown = self.texts.box(position.box, position.box_label)
        else:
            missing = len(position.missing)
            count = ngettext(
                "%(counter)s rating missing", "%(counter)s ratings missing", missing
            ) % {"counter": missing}
            shown = (
                f'<span class="badge" data-box="" title="{escape(", ".join(position.missing))}">'
                f"{escape(count)}</span>"
            )
        swap = _SWAP if oob else ""
        return f'<span id="box-{position.customer.pk}" class="box-cell"{swap}>{shown}</span>'


@register.simple_tag
def position_score(position, part: str, oob=False) -> SafeString:
    """One of an account's scores ("attractiveness", "strength" or "box"); `oob` to swap it
    out of band."""
    scores = _Scores(texts=RowTexts())
    return mark_safe(getattr(scores, part)(position, oob=bool(oob)))


@register.simple_tag
def grid_rows(rows, *, round_pk: int, save_url: str, editable: bool) -> SafeString:
    """The grid's rows of (position, [(factor, value), ...]): the account, a cell per
    attractiveness factor, its scores."""
    texts = RowTexts(round_pk=round_pk)
    scores = _Scores(texts=texts)
    cells = RatingCells(save_url=save_url, editable=editable)
    html = []
    for position, factor_values in rows:
        customer = position.customer
        html.append(
            f'<tr data-customer="{customer.pk}"><th scope="row">'
            f'<a href="{texts.url(customer.pk)}">{escape(customer.name)}</a><br>'
            f'<span class="muted small">{escape(customer.code)}</span></th>'
        )
        html.extend(
            f"<td>{cells.cell(customer=customer, factor=factor, value=value)}</td>"
            for factor, value in factor_values
        )
        html.append(
            f'<td class="num">{scores.attractiveness(position)}</td>'
            f'<td class="num">{scores.strength(position)}</td>'
            f"<td>{scores.box(position)}</td></tr>\n"
        )
    return mark_safe("".join(html))
