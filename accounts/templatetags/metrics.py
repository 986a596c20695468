"""Template filters for customers' metrics."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def percent(fraction, digits: int = 1) -> str:
    """A share kept as a fraction (0.4567), shown as a percentage ("45.7%")."""
    if fraction is None or fraction == "":
        return "—"
    return f"{floatformat(float(fraction) * 100, digits)}%"
