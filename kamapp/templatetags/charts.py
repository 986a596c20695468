"""Tags for the palettes and the chart path (kamapp.charts holds what they draw from)."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from kamapp import charts

register = template.Library()


@register.simple_tag
def palette_style() -> str:
    """The box and tier palettes as CSS variables on :root, for the badges in app.css."""
    rules = ";".join(f"--{name}:{colour}" for name, colour in charts.css_variables().items())
    return format_html("<style>:root{{{}}}</style>", rules)


@register.simple_tag
def chart_setup() -> dict:
    """The plotly bundle's URL, the page language's plotly locale file (if plotly has
    one) and the chart config's locale part, for templates/_chart_scripts.html."""
    language = get_language() or settings.LANGUAGE_CODE
    locale_file = settings.PLOTLY_LOCALES.get(language.split("-")[0])
    return {
        "bundle": static(settings.PLOTLY_JS),
        "locale_file": static(locale_file) if locale_file else None,
        "config": charts.plotly_config(language),
    }


@register.filter
def chart_json(value, element_id: str) -> SafeString:
    """A chart's data as `json_script` writes it, for plotly to read: `<`, `>` and `&` as
    Unicode escapes, so nothing in it ends the script. Three replaces, where `json_script`'s
    `str.translate` looks every character up in Python: several milliseconds for a review
    figure's 130 KB."""
    text = json.dumps(value, cls=DjangoJSONEncoder)
    text = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text)
    )
