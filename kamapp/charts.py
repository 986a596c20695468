"""What every chart, badge and export shares: the two palettes and plotly's own interface text.

Two palettes, defined only here: the four matrix boxes (categorical) and the Pareto tiers
(ordinal: one orange-brown hue from dark A to light C, so the tiers stay apart by lightness
alone). The charts (`scoring.charts`, `accounts.selectors.pareto_figure`), the PNG/SVG
export (`scoring.images`) read the constants; the badges read CSS variables that
`{% palette_style %}` (kamapp/templatetags/charts.py) writes from them into every page.
The colours keep apart for the three common colour-vision deficiencies, within each palette
and across the two, and white or dark text on each reaches WCAG AA (tests/kamapp/test_charts.py
checks both).
"""

from django.utils.translation import gettext_lazy as _

# Box keys are scoring.engine's (kamapp cannot import scoring; tests check they match).
BOX_COLOURS = {
    "key": "#005A8F",
    "key_development": "#00875F",
    "maintenance": "#B4558A",
    "opportunistic": "#3A3F47",
}
TIER_COLOURS = {"A": "#7F2704", "B": "#C24100", "C": "#FDAE6B"}
NO_TIER_COLOUR = "#BFC5CE"
WHITE, INK = "#FFFFFF", "#1D2433"
# The text drawn on each colour (badges): white on the dark ones, ink on the light ones.
BOX_TEXT = dict.fromkeys(BOX_COLOURS, WHITE)
TIER_TEXT = {"A": WHITE, "B": WHITE, "C": INK}
NO_TIER_TEXT = INK


def css_variables() -> dict[str, str]:
    """The palettes as CSS custom properties (name without `--`: colour), for the badges."""
    variables = {}
    for box, colour in BOX_COLOURS.items():
        variables[f"box-{box}"] = colour
        variables[f"box-{box}-text"] = BOX_TEXT[box]
    for tier, colour in TIER_COLOURS.items():
        variables[f"tier-{tier}"] = colour
        variables[f"tier-{tier}-text"] = TIER_TEXT[tier]
    variables["tier-none"] = NO_TIER_COLOUR
    variables["tier-none-text"] = NO_TIER_TEXT
    return variables


# plotly's interface text for a 2-D chart (the mode bar, its notices, the zoom and legend
# hints). plotly's own Indonesian locale only has dates and month names; its `dictionary`
# is given here, through our catalogue, as the chart config's `locales`.
PLOTLY_TEXT = {
    "Autoscale": _("Autoscale"),
    "Box Select": _("Box select"),
    "Lasso Select": _("Lasso select"),
    "Pan": _("Pan"),
    "Zoom": _("Zoom"),
    "Zoom in": _("Zoom in"),
    "Zoom out": _("Zoom out"),
    "Reset axes": _("Reset axes"),
    "Reset view": _("Reset view"),
    "Download plot as a PNG": _("Download chart as a PNG"),
    "Download plot": _("Download chart"),
    "Toggle Spike Lines": _("Toggle spike lines"),
    "Toggle show closest data on hover": _("Toggle showing the closest data on hover"),
    "Show closest data on hover": _("Show the closest data on hover"),
    "Compare data on hover": _("Compare data on hover"),
    "Double-click to zoom back out": _("Double-click to zoom back out"),
    "Double-click on legend to isolate one trace": _(
        "Double-click on the legend to show one series only"
    ),
    "Preparing image - this may take a few seconds": _(
        "Preparing the image: this may take a few seconds"
    ),
    "Image download succeeded": _("Image downloaded"),
    "Sorry, there was a problem downloading your image!": _(
        "Sorry, the image could not be downloaded."
    ),
    "trace": _("series"),
}


def plotly_config(language: str) -> dict:
    """The chart config's locale part for a page in `language`: plotly's locale name and,
    outside English, the interface text in that language."""
    if language.split("-")[0] == "en":
        return {"locale": "en"}
    dictionary = {key: str(text) for key, text in PLOTLY_TEXT.items()}
    return {"locale": language, "locales": {language: {"dictionary": dictionary}}}
