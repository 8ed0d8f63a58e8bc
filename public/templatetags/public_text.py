"""Filters of the public pages: the frozen figures are JSON (ISO dates, names in both
languages), drawn here in the reader's language."""

from datetime import date

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.text import dmy, localized
from tasks.deadlines import format_deadline
from tasks.models import Output
from tasks.rules import StatusClass

register = template.Library()


@register.filter
def in_language(row: dict, field: str = "name") -> str:
    """row[field], or row[field + "_en"] when English is active and it has one."""
    return localized(row.get(field, ""), row.get(f"{field}_en", ""))


@register.filter
def iso_dmy(value) -> str:
    return dmy(date.fromisoformat(value)) if value else "—"


@register.filter
def deadline(row: dict) -> str:
    """As the programme wrote it, in Vietnamese; in English from its kind and date."""
    text = row.get("deadline_text", "")
    if text and not (get_language() or "vi").startswith("en"):
        return text
    due = row.get("deadline")
    return format_deadline(row.get("deadline_kind", ""), date.fromisoformat(due) if due else None)


@register.filter
def signed(value: int) -> str:
    """A change: "+3", "−2" (a true minus sign), "0"."""
    if not value:
        return "0"
    return f"+{value}" if value > 0 else f"\u2212{-value}"


@register.filter
def status_label(value: str) -> str:
    return str(StatusClass(value).label) if value in StatusClass.values else value


@register.filter
def output_kind(value: str) -> str:
    return str(Output.Kind(value).label) if value in Output.Kind.values else _("Other")
