"""Indicator figures and periods as people read them, in templates."""

from django import template

from ..charts import figure as _figure
from ..periods import period_label

register = template.Library()


@register.filter
def figure(value) -> str:
    """75.500 → "75,5" (Vietnamese) or "75.5" (English); None → "—"."""
    if value is None or value == "":
        return "—"
    return _figure(float(value))


@register.filter
def period_of(value) -> str:
    """An indicator value's period as the programme writes it ("Quý IV/2025")."""
    return period_label(value.indicator.frequency, value.period_end)
