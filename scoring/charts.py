"""Plotly figures (as plain JSON-ready dicts) for the matrix and an account's factors."""

import numpy as np
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.money import money_short_all, plotly_separators

from . import engine

BOX_COLOURS = {
    engine.KEY: "#15803d",
    engine.KEY_DEVELOPMENT: "#1f5fbf",
    engine.MAINTENANCE: "#b45309",
    engine.OPPORTUNISTIC: "#6b7280",
}
TIER_COLOURS = {"A": "#15803d", "B": "#1f5fbf", "C": "#b45309"}
NO_TIER_COLOUR = "#9ca3af"
CHANGED_COLOUR = "#dc2626"  # sensitivity: the accounts that change box
MAX_BUBBLE = 50  # diameter (px) of the largest revenue on the page
MIN_BUBBLE = 3  # diameter of the smallest dot: no or very little revenue
# Plotly draws a marker of size s with sizemode "area" at a diameter of sqrt(s / 2 / sizeref)
# px: with this one sizeref for every trace, size 1 (the page's largest revenue) is
# MAX_BUBBLE wide and every bubble's area is proportional to its revenue.
BUBBLE_SIZEREF = 1 / (2 * MAX_BUBBLE**2)


def bubble_areas(revenue: np.ndarray) -> np.ndarray:
    """Each bubble's area relative to the largest (1), on one scale for all the accounts
    drawn, whatever their tier: proportional to revenue, at least the smallest dot's."""
    revenue = np.clip(np.asarray(revenue, dtype=float), 0, None)
    smallest = (MIN_BUBBLE / MAX_BUBBLE) ** 2
    top = float(revenue.max()) if len(revenue) else 0.0
    if top <= 0:
        return np.full(len(revenue), smallest)
    return np.maximum(revenue / top, smallest)


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
    # One reverse() for the pattern instead of one per bubble: thousands of bubbles.
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
                "x": np.round(matrix.result.relative_strength[members], 3).tolist(),
                "y": np.round(attractiveness[members], 3).tolist(),
                "text": [matrix.customers[row].name for row in members],
                "customdata": [account_url.format(matrix.customers[row].pk) for row in members],
                # Revenue abbreviated per language (Rp 1,5 M / IDR 1.5B) for the hover.
                "hovertext": money_short_all(matrix.revenue[members], currency=matrix.currency),
                "marker": {
                    "size": np.round(areas[in_tier], 6).tolist(),
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
    if highlight is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": matrix.customers[highlight].name,
                "x": [round(float(matrix.result.relative_strength[highlight]), 3)],
                "y": [round(float(attractiveness[highlight]), 3)],
                "text": [matrix.customers[highlight].name],
                "textposition": "top center",
                "textfont": {"size": 18, "color": "#111827"},
                "marker": {
                    "size": 30,
                    "color": "rgba(0,0,0,0)",
                    "line": {"width": 4, "color": "#dc2626"},
                },
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    if changed is not None and len(changed):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": _("Changes box"),
                "x": np.round(matrix.result.relative_strength[changed], 3).tolist(),
                "y": np.round(attractiveness[changed], 3).tolist(),
                "text": [matrix.customers[row].name for row in changed],
                "customdata": [account_url.format(matrix.customers[row].pk) for row in changed],
                "marker": {
                    "symbol": "circle-open",
                    "size": 16,
                    "color": CHANGED_COLOUR,
                    "line": {"width": 3, "color": CHANGED_COLOUR},
                },
                "hovertemplate": "<b>%{text}</b><br>" + _("Changes box") + "<extra></extra>",
            }
        )
    a_cut, s_cut = float(attractiveness_cutoff), float(strength_cutoff)
    line = {"color": "#334155", "width": 1.5, "dash": "dash"}
    box_corner = {
        engine.KEY: (10, 10, "left", "top"),
        engine.KEY_DEVELOPMENT: (0, 10, "right", "top"),
        engine.MAINTENANCE: (10, 0, "left", "bottom"),
        engine.OPPORTUNISTIC: (0, 0, "right", "bottom"),
    }
    annotations = [
        {
            "x": x,
            "y": y,
            "xref": "x",
            "yref": "y",
            "text": f"<b>{labels[box]}</b>",
            "showarrow": False,
            "xanchor": xanchor,
            "yanchor": yanchor,
            "font": {"size": 15, "color": BOX_COLOURS[box]},
        }
        for box, (x, y, xanchor, yanchor) in box_corner.items()
    ]
    return {
        "data": traces,
        "layout": {
            "xaxis": {
                "title": {"text": _("Relative strength (customer's view of us)")},
                "range": [10.4, -0.4],
                "zeroline": False,
                "dtick": 1,
            },
            "yaxis": {
                "title": {"text": _("Customer attractiveness")},
                "range": [-0.4, 10.4],
                "zeroline": False,
                "dtick": 1,
            },
            "shapes": [
                {"type": "line", "x0": s_cut, "x1": s_cut, "y0": 0, "y1": 10, "line": line},
                {"type": "line", "x0": 0, "x1": 10, "y0": a_cut, "y1": a_cut, "line": line},
            ],
            "annotations": annotations,
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


def review_figure(*, review) -> dict:
    """This round's matrix with an arrow from each moved account's previous position."""
    now = review["now"]
    figure = matrix_figure(matrix=now, rows=now.placed_rows())
    arrows = []
    for row in review["rows"]:
        if row.before is None or row.after is None:
            continue
        if (row.before.attractiveness, row.before.relative_strength) == (
            row.after.attractiveness,
            row.after.relative_strength,
        ):
            continue
        arrows.append(
            {
                "x": row.after.relative_strength,
                "y": row.after.attractiveness,
                "ax": row.before.relative_strength,
                "ay": row.before.attractiveness,
                "xref": "x",
                "yref": "y",
                "axref": "x",
                "ayref": "y",
                "showarrow": True,
                "arrowhead": 2,
                "arrowsize": 1,
                "arrowwidth": 1.6 if row.moved else 0.8,
                "arrowcolor": "#dc2626" if row.moved else "#94a3b8",
                "text": "",
                "hovertext": row.customer.name,
            }
        )
    figure["layout"]["annotations"] = figure["layout"]["annotations"] + arrows
    return figure
