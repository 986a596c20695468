"""The matrix as a PNG or SVG image for the meeting pack, drawn offline with matplotlib."""

import io

import matplotlib

matplotlib.use("Agg")  # no display on servers and workers

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from kamapp.charts import BOX_COLOURS, NO_TIER_COLOUR, TIER_COLOURS

from . import engine
from .charts import MAX_BUBBLE, bubble_areas


def matrix_image(*, matrix, image_format: str) -> bytes:
    """The round's matrix (high strength on the left, as on screen) as PNG or SVG bytes."""
    buffer = io.BytesIO()
    matrix_image_figure(matrix=matrix).savefig(buffer, format=image_format, bbox_inches="tight")
    return buffer.getvalue()


def matrix_image_figure(*, matrix) -> Figure:
    """The matplotlib figure of the image; bubbles on the page's one revenue scale."""
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
    axes.set_title(f"{scoring_round.name} · {date_format(scoring_round.date, 'DATE_FORMAT')}")
    axes.grid(color="#e5e7eb")
    return figure
