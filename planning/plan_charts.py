"""The small chart of an objective: its dated values against the baseline and the target."""

from django.utils.translation import gettext as _

from kamapp.charts import BOX_COLOURS, INK, NO_TIER_COLOUR

ACTUAL_COLOUR = BOX_COLOURS["key"]
TARGET_COLOUR = BOX_COLOURS["key_development"]


def objective_figure(*, objective, values) -> dict:
    """A plotly figure (JSON-ready): the values over time, the baseline and the target as
    flat lines from the first value (or the due date) to the due date."""
    dates = [value.date.isoformat() for value in values]
    numbers = [float(value.value) for value in values]
    span = [min([*dates, objective.due_date.isoformat()]), objective.due_date.isoformat()]

    def level(name: str, y: float, colour: str) -> dict:
        return {
            "type": "scatter",
            "mode": "lines",
            "name": name,
            "x": span,
            "y": [y, y],
            "line": {"color": colour, "dash": "dash", "width": 2},
            "hoverinfo": "name+y",
        }

    return {
        "data": [
            level(_("Baseline"), float(objective.baseline), NO_TIER_COLOUR),
            level(_("Target"), float(objective.target), TARGET_COLOUR),
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("Actual"),
                "x": dates,
                "y": numbers,
                "line": {"color": ACTUAL_COLOUR, "width": 3},
                "marker": {"size": 8},
            },
        ],
        "layout": {
            "height": 200,
            "margin": {"l": 60, "r": 10, "t": 10, "b": 30},
            "showlegend": True,
            "legend": {"orientation": "h", "y": -0.25},
            "font": {"color": INK, "size": 11},
            "xaxis": {"type": "date"},
            "yaxis": {"zeroline": False},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }
