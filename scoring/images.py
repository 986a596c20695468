"""The matrix as a PNG or SVG image for the meeting pack, drawn offline with matplotlib."""

import io

import matplotlib

matplotlib.use("Agg")  # no display on servers and workers

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kamapp.charts import BOX_COLOURS, NO_TIER_COLOUR, TIER_COLOURS

from . import engine
from .charts import MAX_BUBBLE, bubble_areas


def matrix_image(*, matrix, image_format: str, filters: str = "", foresight=None) -> bytes:
    """The round's matrix (high strength on the left, as on screen) as PNG or SVG bytes.

    The SVG keeps its words as text (not outlines), so they can be searched and copied."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        matrix_image_figure(matrix=matrix, filters=filters, foresight=foresight).savefig(
            buffer, format=image_format, bbox_inches="tight"
        )
    return buffer.getvalue()


def matrix_image_figure(*, matrix, filters: str = "", foresight=None) -> Figure:
    """The matplotlib figure of the image; bubbles on the page's one revenue scale, a legend
    of the tiers drawn, and under the title the filters the accounts were chosen by. With a
    round's three-year view (`foresight`), each account's arrow to its expected position."""
    rows = matrix.placed_rows()
    figure = Figure(figsize=(10, 8), dpi=120)
    axes = figure.add_subplot()
    # Marker areas (points²) on the page's scale, halved as before to suit the print size.
    sizes = bubble_areas(matrix.revenue[rows]) * MAX_BUBBLE**2 / 2
    colours = [TIER_COLOURS.get(matrix.customers[row].tier, NO_TIER_COLOUR) for row in rows]
    axes.scatter(
        matrix.result.relative_strength[rows],
        matrix.result.attractiveness[rows],
        s=sizes,
        c=colours,
        alpha=0.7,
        edgecolors="white",
        linewidths=0.8,
    )
    if foresight is not None:
        for row in foresight.arrow_rows(rows).tolist():
            x = matrix.result.relative_strength[row]
            axes.annotate(
                "",
                xy=(x, foresight.attractiveness[row]),
                xytext=(x, matrix.result.attractiveness[row]),
                arrowprops={"arrowstyle": "->", "color": BOX_COLOURS.get(foresight.box[row])},
            )
    scoring_round = matrix.scoring_round
    axes.axvline(float(scoring_round.strength_cutoff), color="#334155", linestyle="--")
    axes.axhline(float(scoring_round.attractiveness_cutoff), color="#334155", linestyle="--")
    corners = {
        engine.KEY: (9.9, 9.9, "left", "top"),
        engine.KEY_DEVELOPMENT: (0.1, 9.9, "right", "top"),
        engine.MAINTENANCE: (9.9, 0.1, "left", "bottom"),
        engine.OPPORTUNISTIC: (0.1, 0.1, "right", "bottom"),
    }
    for box, (x, y, horizontal, vertical) in corners.items():
        axes.text(
            x,
            y,
            matrix.labels[box],
            color=BOX_COLOURS[box],
            fontsize=14,
            fontweight="bold",
            ha=horizontal,
            va=vertical,
        )
    axes.set_xlim(10.3, -0.3)
    axes.set_ylim(-0.3, 10.3)
    axes.set_xlabel(_("Relative strength (customer's view of us)"))
    axes.set_ylabel(_("Customer attractiveness"))
    count = ngettext("%(count)s account", "%(count)s accounts", len(rows)) % {"count": len(rows)}
    axes.text(
        0.5,
        1.01,
        f"{filters} · {count}" if filters else count,
        transform=axes.transAxes,
        ha="center",
        va="bottom",
        fontsize=10,
        color="#475569",
    )
    axes.set_title(
        f"{scoring_round.name} · {date_format(scoring_round.date, 'DATE_FORMAT')}", pad=22
    )
    axes.grid(color="#e5e7eb")
    tiers = sorted({matrix.customers[row].tier for row in rows}, key=lambda t: t or "Z")
    handles = [
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            markersize=9,
            markerfacecolor=TIER_COLOURS.get(tier, NO_TIER_COLOUR),
            markeredgecolor="white",
            label=_("Tier %(tier)s") % {"tier": tier} if tier else _("No tier yet"),
        )
        for tier in tiers
    ]
    if handles:
        axes.legend(
            handles=handles,
            title=_("Bubble area: revenue"),
            loc="upper center",
            bbox_to_anchor=(0.5, -0.09),
            ncol=len(handles),
            frameon=False,
        )
    return figure
