"""The explanation requests in the monthly report (reports.monthly_sections, registered in
AccountabilityConfig.ready): the units asked to explain in the period and what they answered,
JSON-ready so that an issued report keeps them as they stood."""

from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import dmy, localized

from .models import ExplanationRequest

SECTION_KEY = "explanations"
SECTION_TEMPLATE = "accountability/pdf_section.html"
Kind, State = ExplanationRequest.Kind, ExplanationRequest.State


def _local_day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def monthly_explanations(*, period, on: date) -> list[dict]:
    """The requests asked or answered between the period's first day and its cut-off (those
    withdrawn left out), each with its answer when it was given by `on`; by unit, then date.
    One query."""
    window = (period.starts_on, period.ends_on)
    requests = (ExplanationRequest.objects
                .filter(Q(requested_at__date__range=window) | Q(answered_at__date__range=window))
                .exclude(state=State.WITHDRAWN)
                .select_related("unit", "task", "period", "indicator")
                .order_by("unit__path", "requested_at", "pk"))
    rows = []
    for explanation in requests:
        answered_on = _local_day(explanation.answered_at)
        answered = answered_on is not None and answered_on <= on
        task, indicator = explanation.task, explanation.indicator
        rows.append({
            "id": explanation.pk, "kind": explanation.kind,
            "unit_name": explanation.unit.name, "unit_name_en": explanation.unit.name_en,
            "task_code": task.code if task else "", "task_title": task.title if task else "",
            "task_title_en": task.title_en if task else "",
            "period": str(explanation.period) if explanation.period_id else "",
            "indicator_code": indicator.code if indicator else "",
            "indicator_name": indicator.name if indicator else "",
            "indicator_name_en": indicator.name_en if indicator else "",
            "requested_on": _iso(_local_day(explanation.requested_at)),
            "reply_by": _iso(explanation.reply_by),
            "answered": answered,
            "reason": explanation.reason if answered else "",
            "remedy": explanation.remedy if answered else "",
            "expected_on": _iso(explanation.expected_on) if answered else None,
            "answered_on": _iso(answered_on) if answered else None,
        })
    return rows


def _day(value: str | None) -> str:
    return dmy(date.fromisoformat(value)) if value else ""


def _subject(row: dict) -> str:
    if row.get("kind") == Kind.INDICATOR_OFF_TRACK:
        return _("Indicator %(code)s (%(name)s), off track") % {
            "code": row.get("indicator_code", ""),
            "name": localized(row.get("indicator_name", ""), row.get("indicator_name_en", ""))}
    title = localized(row.get("task_title", ""), row.get("task_title_en", ""))
    if row.get("kind") == Kind.MISSING_REPORT:
        return _("Report on task %(code)s (%(title)s) for period %(period)s, not submitted") % {
            "code": row.get("task_code", ""), "title": title, "period": row.get("period", "")}
    return _("Task %(code)s (%(title)s), overdue") % {"code": row.get("task_code", ""),
                                                       "title": title}


def prepare_rows(rows: list[dict]) -> list[dict]:
    """The section's rows in the document's language (called under it)."""
    return [{"unit": localized(row.get("unit_name", ""), row.get("unit_name_en", "")),
             "subject": _subject(row), "requested_on": _day(row.get("requested_on")),
             "reply_by": _day(row.get("reply_by")), "answered": row.get("answered", False),
             "reason": row.get("reason", ""), "remedy": row.get("remedy", ""),
             "expected_on": _day(row.get("expected_on")),
             "answered_on": _day(row.get("answered_on"))} for row in rows]
