"""The monthly report to the Standing Secretariat as a PDF: the one WeasyPrint entry point.

The document follows the presentation of Decree 30/2020/NĐ-CP (A4, a Times-metric serif with
Vietnamese diacritics, the national header, number, place and date, signature and recipients).
It is rendered from files only: the stylesheet and the bundled Liberation Serif fonts are read
from the project's static folder, and nothing is fetched over the network.

Everything the template shows is prepared here, in the requested language, from the JSON-ready
figures of `reports.compliance.monthly_report_data` (stored figures from an older version may
lack some keys: the sections they feed come out empty rather than failing).
"""

import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from core.text import dmy, localized
from tasks.deadlines import format_deadline
from tasks.models import Output
from tasks.rules import StatusClass

from .charts import PDF_FONT, group_progress_chart, percent_text, status_bar_chart
from .monthly_sections import ROMAN, monthly_sections_drawn
from .pdf_indicators import indicator_rows
from .proposals.pdf import open_proposal_groups

TEMPLATE = "reports/pdf/monthly_report.html"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
FONT_FILES = ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
              "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf")
CLASSES = [status.value for status in StatusClass]
#: The summary tables (overdue tasks, coming deadlines) keep a row within a page: longer titles
#: and reasons are shortened there (the appendix and section V give them in full).
SUMMARY_TITLE_CHARS = 400
SUMMARY_REASON_CHARS = 600


def render_monthly_report_pdf(*, data: dict, language: str = "vi", draft: bool = False,
                              number: str = "", issued_on: date | None = None) -> bytes:
    """The monthly report for the figures `data`, in `language` ("vi" or "en"), as PDF bytes.

    A draft says so on every page and is dated today; an issued report carries its `number`
    and `issued_on` date (without a number, the configured form with "..." stands in for it).
    """
    _check_fonts()
    with translation.override(language):
        context = monthly_report_context(data=data, language=language, draft=draft,
                                         number=number, issued_on=issued_on)
        html = render_to_string(TEMPLATE, context)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/",
                    url_fetcher=StaticFilesOnly(STATIC_DIR))
    return document.write_pdf()


class StaticFilesOnly(URLFetcher):
    """Fetches files under one folder (and data: URLs); refuses everything else, so a document
    never reaches the network or reads elsewhere on disk."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self._root = root.resolve()

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(self._root):
                raise ValueError(f"Not a static file: {url}")
        return super().fetch(url, headers)


def _check_fonts() -> None:
    # A missing font only warns in WeasyPrint and falls back to a face without Vietnamese.
    missing = [name for name in FONT_FILES if not (STATIC_DIR / "fonts" / name).is_file()]
    if missing:
        raise ImproperlyConfigured(f"Fonts missing from static/fonts: {', '.join(missing)}")


# --- What the template shows ------------------------------------------------------------------


def monthly_report_context(*, data: dict, language: str, draft: bool, number: str,
                           issued_on: date | None) -> dict:
    """The template's context, in the active language (call it under translation.override)."""
    conf = settings.MONTHLY_REPORT
    vietnamese = language.startswith("vi")
    period = data.get("period") or {}
    month = f"{period.get('month', 0):02d}/{period.get('year', '')}"
    day = issued_on or timezone.localdate()
    number = number.strip() or conf["number_format"].replace("{seq}", "...")
    status = data.get("status") or {}
    by_group = data.get("by_group") or []
    labels = {value: str(StatusClass(value).label) for value in CLASSES}
    title = _("Report").upper()
    subtitle, subtitle_markup = _subtitle(data, month)
    several_resolutions = len({group.get("resolution") for group in by_group}) > 1
    group_labels = {group["group_id"]: _group_label(group, several_resolutions)
                    for group in by_group}
    status_chart_title = _("Tasks by status class on %(date)s") % {
        "date": _day(period.get("ends_on"))}
    group_chart_title = _("Tasks of each group by status class")
    return {
        "language": language,
        "document_title": f"{title}: {subtitle}",
        "page_css": _page_css(draft),
        "parent_body": conf.get("parent_body", "").upper(),
        "issuing_body": conf["issuing_body"].upper(),
        "number_line": _("No.: %(number)s") % {"number": number},
        "number": number,
        "place_date": _place_date(conf["place"], day, vietnamese),
        "issued_on": _day(day),
        "title": title,
        "subtitle": subtitle_markup,
        "cutoff": _day(period.get("ends_on")),
        "period_from": _day(period.get("starts_on")),
        "previous_cutoff": _day(data.get("previous_ends_on")),
        "next_cutoff": _day(data.get("next_ends_on")),
        "as_of": _day(data.get("as_of")),
        "total": status.get("total", 0),
        "status_rows": _status_rows(status, labels),
        # The charts are markup built by charts.py, which escapes every text it draws.
        "status_chart": mark_safe(status_bar_chart(
            status.get("counts") or {}, labels, title=status_chart_title, font_family=PDF_FONT)),
        "status_chart_title": status_chart_title,
        "labels": [labels[value] for value in CLASSES],
        "group_rows": _group_rows(by_group, group_labels),
        "group_chart": mark_safe(group_progress_chart(
            [{"label": group_labels[group["group_id"]], "counts": group.get("counts") or {}}
             for group in by_group], title=group_chart_title, labels=labels,
            font_family=PDF_FONT)) if by_group else "",
        "group_chart_title": group_chart_title,
        "notable": [{"group": group_labels[group["group_id"]],
                     "items": [_quoted(item) for item in group.get("notable_results") or []]}
                    for group in by_group if group.get("notable_results")],
        "overdue": [{**_task_row(row, shorten=True), "days": row.get("days_overdue", 0),
                     "reason": _shorten(row.get("reason", ""), SUMMARY_REASON_CHARS)}
                    for row in data.get("overdue") or []],
        "overdue_by_unit": [{"name": _unit_name(row), "overdue": row["overdue"]}
                            for row in data.get("overdue_by_unit") or []],
        "upcoming": [{**_task_row(row, shorten=True), "due": _day(row.get("due"))}
                     for row in data.get("upcoming_deadlines") or []],
        **_raised(data.get("difficulties") or [], data.get("proposals") or []),
        **_compliance(data.get("compliance") or []),
        "signatory_title": [line.strip() for line in conf.get("signatory_title", "").splitlines()
                            if line.strip()],
        "signatory_name": conf.get("signatory_name", ""),
        "recipients": list(conf.get("recipients") or []),
        "appendix": _appendix(data.get("appendix") or [], group_labels, labels),
        # None for figures stored before the report had indicators: no section then.
        "indicators": None if "indicators" not in data else indicator_rows(data["indicators"]),
        "open_proposals": open_proposal_groups(data.get("open_proposals")),
        "proposal_answer_days": settings.PROPOSAL_ANSWER_DAYS,
        "proposals_number": ROMAN[6 + ("indicators" in data)],
        # Sections other apps contribute (reports.monthly_sections), numbered after ours.
        "more_sections": monthly_sections_drawn(
            data.get("sections") or {},
            first_number=7 + ("indicators" in data) + ("open_proposals" in data)),
    }


def _day(value) -> str:
    """dd/mm/yyyy from a date or an ISO string ("" for nothing)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return dmy(value)


def _place_date(place: str, day: date, vietnamese: bool) -> str:
    # Decree 30/2020 writes a day below 10 and a month below 3 with a leading zero ("ngày 05
    # tháng 02", "tháng 11"); English keeps dd/mm.
    month_text = str(day.month) if vietnamese and day.month >= 3 else f"{day.month:02d}"
    return _("%(place)s, %(day)s/%(month)s/%(year)s") % {
        "place": place, "day": f"{day.day:02d}", "month": month_text, "year": day.year}


def _subtitle(data: dict, month: str) -> tuple[str, str]:
    """What the report is about, from the resolutions it counts and what they implement: as
    text, and as markup (the sentence escaped, each document number in a span that keeps it on
    one line: "282/NQ-CP" must not break after its hyphen)."""
    documents = data.get("resolutions") or [
        {"number": number, "kind": "", "implements": None}
        for number in dict.fromkeys(group.get("resolution") for group in data.get("by_group")
                                    or []) if number]
    programmes = [document["number"] for document in documents]
    implemented = list(dict.fromkeys(document["implements"]["number"] for document in documents
                                     if document.get("implements")))
    government = documents and all(document.get("kind") == "government_resolution"
                                   for document in documents)

    if implemented and government:
        sentence = _("Progress and results of implementing Resolution No. %(resolution)s and the "
                     "Government's action programme (Resolution No. %(programme)s), %(month)s")
        values = {"resolution": implemented, "programme": programmes, "month": [month]}
    else:
        sentence = _("Progress and results of implementing %(documents)s, %(month)s")
        values = {"documents": implemented + programmes, "month": [month]}
    text = sentence % {key: ", ".join(numbers) for key, numbers in values.items()}
    markup = escape(sentence) % {
        key: ", ".join(format_html('<span class="nowrap">{}</span>', number) for number in numbers)
        for key, numbers in values.items()}
    return text, mark_safe(markup)


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def _status_rows(status: dict, labels: dict[str, str]) -> list[dict]:
    counts, previous = status.get("counts") or {}, status.get("previous") or {}
    change, total = status.get("change") or {}, status.get("total", 0)
    previous_total = sum(previous.values())
    return [{"status": value, "label": labels[value], "count": counts.get(value, 0),
             "percent": percent_text(counts.get(value, 0), total),
             "previous": previous.get(value, 0),
             "previous_percent": percent_text(previous.get(value, 0), previous_total),
             "change": _signed(change.get(value, 0))} for value in CLASSES]


def _group_label(group: dict, with_resolution: bool) -> str:
    label = _("Group %(number)s: %(name)s") % {
        "number": group["number"], "name": localized(group["name"], group.get("name_en", ""))}
    return f"{label} ({group['resolution']})" if with_resolution else label


def _group_rows(by_group: list[dict], group_labels: dict) -> list[dict]:
    rows = []
    for group in by_group:
        counts, total = group.get("counts") or {}, group.get("total", 0)
        rows.append({"label": group_labels[group["group_id"]], "total": total,
                     "cells": [{"count": counts.get(value, 0),
                                "percent": percent_text(counts.get(value, 0), total)}
                               for value in CLASSES]})
    return rows


def _unit_name(row: dict) -> str:
    return localized(row.get("unit_name", ""), row.get("unit_name_en", ""))


def _deadline(row: dict) -> str:
    """The deadline as the programme wrote it (in Vietnamese), else in the active language."""
    text = row.get("deadline_text", "")
    if text and translation.get_language().startswith("vi"):
        return text
    due = row.get("deadline")
    return format_deadline(row.get("deadline_kind", ""), date.fromisoformat(due) if due else None)


def _shorten(text: str, limit: int) -> str:
    return Truncator(text).chars(limit)


def _task_row(row: dict, *, shorten: bool = False) -> dict:
    """A task's code, title, lead and deadline; `shorten` for the summary tables, whose rows
    must fit on a page (the appendix gives the title in full)."""
    title = localized(row.get("title", ""), row.get("title_en", ""))
    return {"code": row.get("code", ""),
            "title": _shorten(title, SUMMARY_TITLE_CHARS) if shorten else title,
            "lead": _unit_name(row.get("lead_unit") or {}), "deadline": _deadline(row)}


def _quoted(item: dict) -> dict:
    return {"task_code": item.get("task_code", ""), "unit": _unit_name(item),
            "text": item.get("text", "")}


def _raised(difficulties: list[dict], proposals: list[dict]) -> dict:
    """Difficulties and proposals, grouped by who must act when the reports say so (an
    "addressee" on a proposal), else by the unit that raised them."""
    by_addressee = any(item.get("addressee") for item in proposals)
    units: dict[str, dict] = {}

    def add(item: dict, kind: str, key: str) -> None:
        entry = units.setdefault(key, {"name": key, "difficulties": [], "proposals": []})
        entry[kind].append(_quoted(item))

    for item in difficulties:
        add(item, "difficulties", _unit_name(item))
    for item in proposals:
        add(item, "proposals", (item.get("addressee") if by_addressee else "")
            or _unit_name(item))
    return {"raised": list(units.values()), "raised_by_addressee": by_addressee}


def _compliance(rows: list[dict]) -> dict:
    table = []
    sums = defaultdict(int)
    for row in rows:
        late = row["received"] - row["on_time"]
        entry = {"name": _unit_name(row), "expected": row["expected"],
                 "received": row["received"], "on_time": row["on_time"], "late": late,
                 "missing": row["missing"],
                 "received_rate": percent_text(row["received"], row["expected"]),
                 "on_time_rate": percent_text(row["on_time"], row["expected"])}
        for key in ("expected", "received", "on_time", "late", "missing"):
            sums[key] += entry[key]
        table.append(entry)
    total = {**sums, "received_rate": percent_text(sums["received"], sums["expected"]),
             "on_time_rate": percent_text(sums["on_time"], sums["expected"])}
    return {"compliance": table, "compliance_total": total if table else None}


def _output_text(output: dict) -> str:
    try:
        kind = str(Output.Kind(output.get("kind")).label)
    except ValueError:
        kind = ""
    text = f"{kind}: {output.get('title', '')}" if kind else output.get("title", "")
    if output.get("document_number") or output.get("issued_on"):
        text += " (" + _("issued: %(number)s, %(date)s") % {
            "number": output.get("document_number") or "—",
            "date": _day(output.get("issued_on")) or "—"} + ")"
    return text


def _appendix(rows: list[dict], group_labels: dict, labels: dict[str, str]) -> list[dict]:
    """The appendix's rows, with a heading row where a new group begins."""
    out = []
    current = object()
    for row in rows:
        if row.get("group_id") != current:
            current = row.get("group_id")
            if current in group_labels:
                out.append({"heading": group_labels[current]})
        percent = row.get("percent_complete")
        out.append({
            **_task_row(row),
            "coordinating": "; ".join(_unit_name(unit)
                                      for unit in row.get("coordinating_units") or []),
            "outputs": [_output_text(output) for output in row.get("outputs") or []],
            "status": row.get("status", ""),
            "status_label": labels.get(row.get("status"), ""),
            "percent": "—" if percent is None else f"{percent}%",
            "latest_update": row.get("latest_update", ""),
        })
    return out


# --- The page rules that carry words ---------------------------------------------------------


def _css_string(text: str) -> str:
    """A CSS string literal: letters, digits and plain punctuation as they are, anything else
    (quotes, backslashes, angle brackets) as a hexadecimal escape."""
    return '"' + "".join(ch if ch.isalnum() or ch in " .,:;/-()" else f"\\{ord(ch):06x}"
                         for ch in text) + '"'


def _css_content(template: str, counters: dict[str, str]) -> str:
    """A `content` value from a translated "%(name)s" template, placeholders as counters."""
    pieces = re.split(r"%\((\w+)\)s", template)
    return " ".join(f"counter({counters[piece]})" if index % 2 else _css_string(piece)
                    for index, piece in enumerate(pieces) if index % 2 or piece)


def _page_css(draft: bool) -> str:
    """The footer "Page X of Y" and, on a draft, the word "draft" at the top of every page:
    margin boxes, so they stand on every page whatever flows through it."""
    footer = _css_content(_("Page %(number)s of %(total)s"),
                          {"number": "page", "total": "pages"})
    css = f"@page {{ @bottom-center {{ content: {footer}; }} }}"
    if draft:
        css += f" @page {{ @top-center {{ content: {_css_string(_('Draft').upper())}; }} }}"
    # Safe: built above from our own translations, every character outside plain punctuation
    # escaped, so it cannot close the <style> element.
    return mark_safe(css)
