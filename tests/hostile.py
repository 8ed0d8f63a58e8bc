"""Hostile text, where users can type it, and where it comes out: the tables the hostile-input
tests (tests/test_hostile_input.py, and in Chromium tests/browser/test_hostile_input.py) run.

- PAYLOADS: markup, template syntax, a `javascript:` URL and spreadsheet formulas.
- `build_world(payload)` types the payload into every text a user can enter (as "<payload>
  [<field>]": the payload first, where a formula would have to stand) and takes reports through
  the whole workflow, so it also reaches notifications, their emails and the monthly report.
- PAGES: the screens, who reads them, and the fields each must show as text.
- DOWNLOADS: files, with a reader that turns the bytes into the text a person would read; the
  same check then applies. The spreadsheet readers also refuse any cell a spreadsheet program
  would run as a formula (so "=1+1" must come out as text).
"""

import csv
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO, StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.evidence import evidence_add
from reports.models import EvidenceFile, ProgressReport
from reports.periods import period_open
from reports.services import (
    progress_report_approve,
    progress_report_reopen,
    progress_report_return,
    progress_report_save_draft,
    progress_report_submit,
)
from tasks.models import Output
from tests.factories import TaskFactory, TaskGroupFactory
from units.models import Unit

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "template variable": "{{ 7*7 }}",
    "template tag": '{% now "Y" %}',
    "javascript url": "javascript:alert(1)",
    "formula link": '=HYPERLINK("http://evil","x")',
    "formula": "=1+1",
    "header injection": "Họp\r\nBcc: evil@example.com",
    "format string": "%(actor)s %s {0} {title}",
}
#: Every payload in one text (for the browser, where one page load tries them all).
ALL_PAYLOADS = " ".join(PAYLOADS.values())

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def hostile(payload: str, field: str) -> str:
    return f"{payload} [{field}]"


@dataclass(frozen=True)
class Page:
    name: str
    user: str  # username
    path: str  # formatted with the world's ids
    fields: tuple[str, ...]  # what must be on it, as typed


@dataclass(frozen=True)
class Download:
    name: str
    user: str
    path: str
    fields: tuple[str, ...]
    read: Callable[[bytes], str]


def pdf_text(data: bytes) -> str:
    """The text of a PDF as pdftotext reads it (in the order it is drawn, so that a table's
    cells do not interleave), after checking that the file carries no
    script and no link (a `javascript:` text must not become an action)."""
    reader = PdfReader(BytesIO(data))
    assert "/OpenAction" not in reader.trailer["/Root"]
    assert "/JavaScript" not in (reader.trailer["/Root"].get("/Names") or {})
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert action.get("/S") not in ("/JavaScript", "/Launch"), action
            assert not str(action.get("/URI", "")).lower().startswith("javascript:"), action
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data,
                              capture_output=True, check=True).stdout.decode()
    return "\n".join(page.extract_text() for page in reader.pages)


def xlsx_text(data: bytes) -> str:
    """The text of every cell of a workbook, after checking that no cell is a formula."""
    workbook = load_workbook(BytesIO(data))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if cell.value is not None:
                    texts.append(str(cell.value))
    return "\n".join(texts)


def csv_text(data: bytes) -> str:
    """The text of a CSV file, after checking that no cell starts the way a formula does
    (a spreadsheet program opening it would run it): such text must be quoted with "'"."""
    rows = list(csv.reader(StringIO(data.decode("utf-8-sig"))))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    return "\n".join(cell for row in rows for cell in row)


PAGES = [
    Page("my tasks", "reporter", "/", ("title", "unit")),
    Page("task list", "secretariat", "/tasks/", ("title", "group", "unit")),
    Page("task", "reporter", "/tasks/{approved_task}/",
         ("title", "description", "group", "unit", "coordinating unit", "output", "results",
          "return comment")),
    Page("approved report", "reporter", "{approved_report}",
         ("title", "unit", "results", "difficulties", "proposals", "next steps", "evidence",
          "return comment")),
    Page("lead's report beside the coordinating unit's", "leader", "{approved_report}",
         ("coordinating unit", "results", "difficulties", "proposals")),
    Page("coordinating unit's report", "reporter2", "{coordinating_report}",
         ("title", "coordinating unit", "results", "difficulties", "proposals", "next steps")),
    Page("returned report", "reporter", "{returned_report}",
         ("return comment", "results", "difficulties", "proposals", "next steps")),
    Page("reopened report", "reporter", "{reopened_report}", ("reopen reason",)),
    Page("notifications", "reporter", "/notifications/", ("title", "unit", "return comment")),
    Page("indicators", "reporter2", "/indicators/", ("indicator", "unit")),
    Page("indicator", "reporter2", "/indicators/{indicator}/",
         ("indicator", "indicator source", "title", "unit")),
    Page("indicator value", "reporter2", "/indicators/values/{indicator_value}/",
         ("indicator", "indicator source", "indicator evidence", "unit")),
    Page("leader's notifications", "leader", "/notifications/", ("title", "unit")),
]

DOWNLOADS = [
    Download("task list as Excel", "secretariat", "/tasks/export/?format=xlsx",
             ("title", "description", "group", "unit", "coordinating unit", "output"),
             read=xlsx_text),
    Download("task list as CSV", "secretariat", "/tasks/export/?format=csv",
             ("title", "description", "group", "unit", "coordinating unit", "output"),
             read=csv_text),
    Download("period's reports as Excel", "secretariat",
             "/reports/{year}-{month:02d}/export/?format=xlsx",
             ("title", "unit", "results", "difficulties", "proposals", "next steps"),
             read=xlsx_text),
    Download("period's reports as CSV", "secretariat",
             "/reports/{year}-{month:02d}/export/?format=csv",
             ("title", "unit", "results", "difficulties", "proposals", "next steps"),
             read=csv_text),
    Download("monthly report", "secretariat", "/monthly-reports/{year}-{month:02d}/preview.pdf",
             ("title", "group", "unit", "coordinating unit", "output", "results", "difficulties",
              "proposals"), read=pdf_text),
    Download("monthly report in English", "secretariat",
             "/monthly-reports/{year}-{month:02d}/preview.pdf?lang=en",
             ("title", "group", "unit", "coordinating unit", "output", "results", "difficulties",
              "proposals"), read=pdf_text),
]


def build_world(payload: str, *, department, other_unit, reporter, leader, other_reporter,
                secretariat) -> dict:
    """The payload in every field a user types, and reports in every state that shows them.

    Returns the ids and paths the tables use, and `texts`: each field as stored (a file name is
    stored cleaned, e.g. without what looks like a folder), which is what must come out."""
    period = period_open(on=timezone.localdate())

    def text(field):
        return hostile(payload, field)

    for unit, field in ((department, "unit"), (other_unit, "coordinating unit")):
        Unit.objects.filter(pk=unit.pk).update(name=text(field), name_en=text(field))
    group = TaskGroupFactory(name=text("group"), name_en=text("group"))

    def task(**extra):
        made = TaskFactory(lead_unit=department, group=group, title=text("title"),
                           title_en=text("title"), description=text("description"),
                           with_output=False, **extra)
        Output.objects.create(task=made, kind=Output.Kind.CIRCULAR, title=text("output"))
        return made

    content = {"percent_complete": 50, "progress_status": ProgressReport.ProgressStatus.ON_TRACK,
               "results": text("results"), "difficulties": text("difficulties"),
               "proposals": text("proposals"), "next_steps": text("next steps")}

    def submitted(task_, unit=department, author=reporter):
        report = progress_report_save_draft(actor=author, task=task_, unit=unit, period=period,
                                            **content)
        return progress_report_submit(report=report, actor=author)

    # Returned with a comment, corrected and approved; a coordinating unit's report beside it.
    approved_task = task(coordinating_units=[other_unit])
    report = progress_report_save_draft(actor=reporter, task=approved_task, unit=department,
                                        period=period, **content)
    evidence_add(report=report, actor=reporter, uploaded=SimpleUploadedFile(
        text("evidence") + ".pdf", PDF, content_type="application/pdf"))
    report = progress_report_submit(report=report, actor=reporter)
    report = progress_report_return(report=report, actor=leader, comment=text("return comment"))
    report = progress_report_submit(report=report, actor=reporter)
    progress_report_approve(report=report, actor=leader)
    submitted(approved_task, unit=other_unit, author=other_reporter)
    # Returned and waiting for its correction.
    returned_task = task()
    progress_report_return(report=submitted(returned_task), actor=leader,
                           comment=text("return comment"))
    # Approved, then reopened by the secretariat.
    reopened_task = task()
    progress_report_approve(report=submitted(reopened_task), actor=leader)
    progress_report_reopen(report=ProgressReport.objects.get(task=reopened_task),
                           actor=secretariat, reason=text("reopen reason"))

    indicator = _indicator(text, department=department, leader=leader, task=approved_task)

    def report_path(task_, unit=department):
        return reverse("report", args=[task_.pk, unit.pk, period.year, period.month])

    texts = {field: text(field) for field in (
        "unit", "coordinating unit", "group", "title", "description", "output", "results",
        "difficulties", "proposals", "next steps", "return comment", "reopen reason",
        "indicator", "indicator source", "indicator evidence")}
    texts["evidence"] = EvidenceFile.objects.get().original_name
    return {
        "approved_task": approved_task.pk, "approved_report": report_path(approved_task),
        "coordinating_report": report_path(approved_task, other_unit),
        "returned_report": report_path(returned_task),
        "reopened_report": report_path(reopened_task),
        "year": period.year, "month": period.month, "texts": texts,
        "indicator": indicator.pk, "indicator_value": indicator.values.get().pk,
    }


def _indicator(text, *, department, leader, task):
    """An indicator of the department's, its name and its approved value's source and evidence
    typed by users, the task contributing to it."""
    from datetime import date
    from decimal import Decimal

    from indicators.models import Indicator
    from indicators.services import indicator_value_approve, indicator_value_save

    indicator = Indicator.objects.create(
        resolution=task.resolution, code="1", name=text("indicator"),
        name_en=text("indicator"), measure="%", frequency="yearly",
        responsible_unit=department)
    indicator.tasks.set([task])
    # Entered and submitted by the leader, who approves it: no one else is notified.
    value = indicator_value_save(
        actor=leader, indicator=indicator, unit=None, period_end=date(2025, 12, 31),
        expected_version=0, submit=True,
        fields={"value": Decimal(1), "source_note": text("indicator source"),
                "evidence_note": text("indicator evidence")}).value
    indicator_value_approve(value=value, actor=leader)
    return indicator


# --- Reading pages ----------------------------------------------------------------------------

#: Attributes whose value is a URL that a browser would follow or load.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href",
                  "background", "srcset", "ping"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.elements: list[tuple[str, dict]] = []
        self.inline_script = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"
        if tag == "br":
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline_script.append(data)
        self.text.append(data)


def inert_html(html: str) -> str:
    """The text of an HTML document, after checking that nothing in it runs: no inline script,
    no event handler attribute, no `javascript:` URL, no frame, object or embed; scripts only
    from our static files."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert not "".join(reader.inline_script).strip(), reader.inline_script
    for tag, attributes in reader.elements:
        assert tag not in ("iframe", "frame", "object", "embed", "base"), (tag, attributes)
        if tag == "script":
            assert attributes.get("src", "").startswith("/static/"), attributes
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, attributes)
            assert name != "srcdoc", (tag, attributes)
            if name in URL_ATTRIBUTES or name.startswith("hx-"):
                assert not re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(
                    ("javascript:", "data:text/html", "vbscript:")), (tag, attributes)
    return "".join(reader.text)


def squeezed(text: str) -> str:
    """Text without its whitespace: a PDF breaks lines wherever its columns end."""
    return re.sub(r"\s+", "", text)


def spaced(text: str) -> str:
    """Text with its whitespace as single spaces (a line break shows as <br>, or as a space)."""
    return " ".join(text.split())
