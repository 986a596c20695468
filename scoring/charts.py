"""Plotly figures (as plain JSON-ready dicts) for the matrix and an account's factors."""

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.money import money_short_all, plotly_separators
from kamapp.charts import BOX_COLOURS, NO_TIER_COLOUR, TIER_COLOURS

from . import engine
from .chart_labels import (
    NOMINAL_HEIGHT,
    NOMINAL_WIDTH,
    PlotArea,
    anchored_rect,
    corner_anchor,
    label_place,
    text_size,
)

CHANGED_COLOUR = "#dc2626"  # sensitivity: the accounts that change box
MAX_BUBBLE = 50  # diameter (px) of the largest revenue on the page
MIN_BUBBLE = 3  # diameter of the smallest dot: no or very little revenue
# Plotly draws a marker of size s with sizemode "area" at a diameter of sqrt(s / 2 / sizeref)
# px: with this one sizeref for every trace, size 1 (the page's largest revenue) is
# MAX_BUBBLE wide and every bubble's area is proportional to its revenue.
BUBBLE_SIZEREF = 1 / (2 * MAX_BUBBLE**2)
AXIS_RANGE = (-0.4, 10.4)  # both axes; the strength axis is drawn reversed, high on the left
HIGHLIGHT_RING = 30  # diameter (px) of the ring around the account in front of the team
HIGHLIGHT_LINE = 4
HIGHLIGHT_FONT = 18
CORNER_FONT = 15
# Where each box's name sits: (strength high, attractiveness high).
BOX_CORNERS = {
    engine.KEY: (True, True),
    engine.KEY_DEVELOPMENT: (False, True),
    engine.MAINTENANCE: (True, False),
    engine.OPPORTUNISTIC: (False, False),
}


def bubble_areas(revenue: np.ndarray) -> np.ndarray:
    """Each bubble's area relative to the largest (1), on one scale for all the accounts
    drawn, whatever their tier: proportional to revenue, at least the smallest dot's."""
    revenue = np.clip(np.asarray(revenue, dtype=float), 0, None)
    smallest = (MIN_BUBBLE / MAX_BUBBLE) ** 2
    top = float(revenue.max()) if len(revenue) else 0.0
    if top <= 0:
        return np.full(len(revenue), smallest)
    return np.maximum(revenue / top, smallest)


def bubble_sizes(areas: np.ndarray) -> list[float]:
    """The markers' sizes, to 4 decimals of the largest (a 50 px bubble's area to 0.01%)."""
    return np.round(areas, 4).tolist()


SCORE_STEP = Decimal("0.01")


def shown_scores(values: np.ndarray) -> list[float]:
    """Scores as the page's tables print them: two decimals, half up from the value's
    shortest form (Django's floatformat), so that a bubble's hover and its table row always
    read the same; at 0.01 on a 0-10 axis a bubble moves by less than a pixel."""
    return [
        float(Decimal(repr(value)).quantize(SCORE_STEP, rounding=ROUND_HALF_UP))
        for value in np.asarray(values, dtype=float).tolist()
    ]


def nominal_plot(*, high_on_left: bool = True) -> PlotArea:
    """The matrix's plotting area at the projector's size (see chart_labels)."""
    x_range = tuple(reversed(AXIS_RANGE)) if high_on_left else AXIS_RANGE
    return PlotArea(NOMINAL_WIDTH, NOMINAL_HEIGHT, x_range=x_range, y_range=AXIS_RANGE)


def box_corner_annotations(*, labels: dict[str, str], high_on_left: bool) -> list[dict]:
    """The boxes' names in the matrix's corners, anchored to run inwards, so that neither
    direction of the strength axis pushes one out of the plotting area."""
    annotations = []
    for box, (strength_high, attractiveness_high) in BOX_CORNERS.items():
        xanchor, yanchor = corner_anchor(
            strength_high=strength_high,
            attractiveness_high=attractiveness_high,
            high_on_left=high_on_left,
        )
        annotations.append(
            {
                "x": 10 if strength_high else 0,
                "y": 10 if attractiveness_high else 0,
                "xref": "x",
                "yref": "y",
                "text": f"<b>{labels[box]}</b>",
                "showarrow": False,
                "xanchor": xanchor,
                "yanchor": yanchor,
                "font": {"size": CORNER_FONT, "color": BOX_COLOURS[box]},
            }
        )
    return annotations


def annotation_rect(annotation: dict, plot: PlotArea):
    """The px rectangle an annotation without arrow takes on the nominal plot (estimated)."""
    bold = annotation["text"].startswith("<b>")
    text = annotation["text"].removeprefix("<b>").removesuffix("</b>")
    x, y = plot.pixels(annotation["x"], annotation["y"])
    size = text_size(text, annotation["font"]["size"], bold=bold)
    return anchored_rect(float(x), float(y), size, annotation["xanchor"], annotation["yanchor"])


def highlight_annotation(
    *, name: str, x: float, y: float, radius: float, others, corners: list[dict]
) -> dict:
    """The highlighted account's name, placed on the nominal plot where it covers the fewest
    other bubbles (`others`: their strength, attractiveness and radius in px) and box names,
    then nearest its ring (`radius` px to its outer edge), and tied to it by a line. The
    label's place is given in the axes' values, so that it mirrors with the strength axis,
    and the free space with it."""
    plot = nominal_plot()
    px, py = plot.pixels(x, y)
    ox, oy = plot.pixels(others[0], others[1])
    other_radii = np.maximum(np.asarray(others[2], dtype=float), MIN_BUBBLE / 2)
    place = label_place(
        plot=plot,
        centre=(float(px), float(py)),
        ring_radius=radius,
        size=text_size(name, HIGHLIGHT_FONT),
        bubbles=(ox, oy, other_radii),
        obstacles=[annotation_rect(corner, plot) for corner in corners],
    )
    label_x, label_y = plot.values(place.x, place.y)
    return {
        "x": round(x, 3),
        "y": round(y, 3),
        "ax": round(float(label_x), 3),
        "ay": round(float(label_y), 3),
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "text": name,
        "showarrow": True,
        "arrowhead": 0,
        "arrowwidth": 1.5,
        "arrowcolor": "#dc2626",
        "standoff": radius,
        "font": {"size": HIGHLIGHT_FONT, "color": "#111827"},
        "bgcolor": "rgba(255,255,255,0.85)",
    }


def matrix_figure(
    *,
    matrix,
    rows: np.ndarray,
    attractiveness: np.ndarray | None = None,
    cutoffs: tuple[float, float] | None = None,
    highlight: int | None = None,
    changed: np.ndarray | None = None,
) -> dict:
    """The KAISM matrix: attractiveness up, relative strength across (high on the left).

    `rows` are the placed accounts to draw; bubbles are coloured by Pareto tier where tiers
    exist (grey until then) and sized by revenue over the metrics period. `changed` rows
    (sensitivity: accounts that change box) are ringed and named in a trace of their own.
    """
    scoring_round = matrix.scoring_round
    # Sensitivity passes its own attractiveness and cut-offs; otherwise the round's.
    if attractiveness is None:
        attractiveness = matrix.result.attractiveness
    attractiveness_cutoff, strength_cutoff = cutoffs or (
        scoring_round.attractiveness_cutoff,
        scoring_round.strength_cutoff,
    )
    labels = matrix.labels
    # Bubbles carry their account's id; charts.js opens the page named by this pattern. One
    # pattern instead of thousands of URLs keeps the page's data small.
    account_url = reverse("scoring:round_account", args=[scoring_round.pk, 0])[: -len("0/")] + "{}/"
    row_tiers = np.array([matrix.customers[row].tier for row in rows], dtype=object)
    areas = bubble_areas(matrix.revenue[rows])
    traces = []
    for tier in sorted(set(row_tiers), key=lambda t: t or "Z"):
        in_tier = row_tiers == tier
        members = rows[in_tier]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": _("Tier %(tier)s") % {"tier": tier} if tier else _("No tier yet"),
                "x": shown_scores(matrix.result.relative_strength[members]),
                "y": shown_scores(attractiveness[members]),
                "text": [matrix.customers[row].name for row in members],
                "customdata": [matrix.customers[row].pk for row in members],
                # Revenue abbreviated per language (Rp 1,5 M / IDR 1.5B) for the hover.
                "hovertext": money_short_all(matrix.revenue[members], currency=matrix.currency),
                "marker": {
                    "size": bubble_sizes(areas[in_tier]),
                    "sizemode": "area",
                    "sizeref": BUBBLE_SIZEREF,
                    "sizemin": MIN_BUBBLE,
                    "color": TIER_COLOURS.get(tier, NO_TIER_COLOUR),
                    "opacity": 0.75,
                    "line": {"width": 1, "color": "#ffffff"},
                },
                "hovertemplate": (
                    "<b>%{text}</b><br>"
                    + _("Attractiveness")
                    + " %{y:.2f}<br>"
                    + _("Relative strength")
                    + " %{x:.2f}<br>"
                    + _("Revenue")
                    + " %{hovertext}<extra></extra>"
                ),
            }
        )
    a_cut, s_cut = float(attractiveness_cutoff), float(strength_cutoff)
    line = {"color": "#334155", "width": 1.5, "dash": "dash"}
    corners = {
        high_on_left: box_corner_annotations(labels=labels, high_on_left=high_on_left)
        for high_on_left in (True, False)
    }
    marks = []
    if highlight is not None:
        x = float(matrix.result.relative_strength[highlight])
        y = float(attractiveness[highlight])
        others = rows != highlight
        # The ring goes round the account's own bubble where that is larger than the ring.
        radius = MAX_BUBBLE * float(np.sqrt(areas[~others].max(initial=0))) / 2
        ring = max(HIGHLIGHT_RING, 2 * radius + 2 * HIGHLIGHT_LINE)
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": matrix.customers[highlight].name,
                "x": [round(x, 3)],
                "y": [round(y, 3)],
                "marker": {
                    "size": round(ring, 1),
                    "color": "rgba(0,0,0,0)",
                    "line": {"width": HIGHLIGHT_LINE, "color": "#dc2626"},
                },
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
        marks.append(
            highlight_annotation(
                name=matrix.customers[highlight].name,
                x=x,
                y=y,
                radius=ring / 2 + HIGHLIGHT_LINE / 2,
                others=(
                    matrix.result.relative_strength[rows[others]],
                    attractiveness[rows[others]],
                    MAX_BUBBLE * np.sqrt(areas[others]) / 2,
                ),
                corners=corners[True],
            )
        )
    if changed is not None and len(changed):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": _("Changes box"),
                "x": shown_scores(matrix.result.relative_strength[changed]),
                "y": shown_scores(attractiveness[changed]),
                "text": [matrix.customers[row].name for row in changed],
                "customdata": [matrix.customers[row].pk for row in changed],
                "marker": {
                    "symbol": "circle-open",
                    "size": 16,
                    "color": CHANGED_COLOUR,
                    "line": {"width": 3, "color": CHANGED_COLOUR},
                },
                "hovertemplate": "<b>%{text}</b><br>" + _("Changes box") + "<extra></extra>",
            }
        )
    return {
        "data": traces,
        "layout": {
            "xaxis": {
                "title": {"text": _("Relative strength (customer's view of us)")},
                "range": list(reversed(AXIS_RANGE)),
                "zeroline": False,
                "dtick": 1,
            },
            "yaxis": {
                "title": {"text": _("Customer attractiveness")},
                "range": list(AXIS_RANGE),
                "zeroline": False,
                "dtick": 1,
            },
            # charts.js swaps these in when the strength axis runs high on the right.
            "meta": {
                "strength_high_on_right": {"annotations": corners[False] + marks},
                "account_url": account_url,
            },
            "shapes": [
                {"type": "line", "x0": s_cut, "x1": s_cut, "y0": 0, "y1": 10, "line": line},
                {"type": "line", "x0": 0, "x1": 10, "y0": a_cut, "y1": a_cut, "line": line},
            ],
            "annotations": corners[True] + marks,
            "legend": {"orientation": "h", "y": -0.15},
            "margin": {"l": 60, "r": 20, "t": 20, "b": 60},
            "hovermode": "closest",
            "plot_bgcolor": "#ffffff",
            "separators": plotly_separators(),
        },
    }


def contribution_figure(*, factors, contributions, title: str) -> dict:
    """Horizontal bars: each factor's weight × rating / 100, adding up to the axis score."""
    names = [factor.name for factor in factors]
    values = [0 if value is None else round(value, 3) for value in contributions]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": names,
                "x": values,
                "text": ["—" if v is None else number_format(v, 2) for v in contributions],
                "textposition": "auto",
                "marker": {"color": "#1f5fbf"},
                "hovertemplate": "%{y}: %{x:.2f}<extra></extra>",
            }
        ],
        "layout": {
            "title": {"text": title, "font": {"size": 14}},
            "xaxis": {"range": [0, max([2.5, *values]) * 1.1], "title": {"text": _("Points")}},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "margin": {"l": 10, "r": 10, "t": 40, "b": 40},
            "height": 60 + 36 * max(len(names), 1),
            "separators": plotly_separators(),
        },
    }
