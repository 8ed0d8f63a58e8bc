"""What the tests in report_views/ share: their data, helpers and fixtures."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import ProgressReport
from reports.services import (
    progress_report_approve,
    progress_report_save_draft,
    progress_report_submit,
)
from tasks.deadlines import DeadlineKind
from tests.factories import ReportingPeriodFactory, TaskFactory, UserFactory
from units.models import User

State = ProgressReport.State


Progress = ProgressReport.ProgressStatus


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2025, month=11)


@pytest.fixture
def task(department, other_unit):
    """A task the department leads and the other ministry coordinates, due 31/12/2025, with one
    promised output ("Thông tư hướng dẫn")."""
    return TaskFactory(lead_unit=department, coordinating_units=[other_unit],
                       deadline_kind=DeadlineKind.DAY, deadline=date(2025, 12, 31))


@pytest.fixture
def other_leader(other_unit):
    return UserFactory(username="leader2", role=User.Role.LEADER, unit=other_unit)


def _url(task, unit, period):
    return reverse("report", args=[task.pk, unit.pk, period.year, period.month])


def _english(client):
    client.post(reverse("set_language"), {"language": "en"})


def _form(task, *, action="save", version=None, outputs=None, files=None, **fields):
    """The report form as the browser posts it; `outputs` maps an output's title to its row."""
    data = {
        "action": action,
        "percent_complete": "40",
        "progress_status": Progress.ON_TRACK,
        "results": "Đã dự thảo thông tư và lấy ý kiến các bộ.",
        "difficulties": "",
        "proposals": "",
        "next_steps": "",
        "completion_date": "",
        "version": "" if version is None else str(version),
    }
    data.update({name: str(value) for name, value in fields.items()})
    rows = list(task.outputs.order_by("pk"))
    data.update({
        "outputs-TOTAL_FORMS": str(len(rows)), "outputs-INITIAL_FORMS": str(len(rows)),
        "outputs-MIN_NUM_FORMS": "0", "outputs-MAX_NUM_FORMS": "1000",
    })
    for index, output in enumerate(rows):
        row = {"status": "drafting", "document_number": "", "issued_on": "",
               **(outputs or {}).get(output.title, {})}
        data[f"outputs-{index}-output_id"] = str(output.pk)
        for name, value in row.items():
            data[f"outputs-{index}-{name}"] = value
    if files is not None:
        data["files"] = files
    return data


def _decision(report, action, comment=""):
    return {"action": action, "comment": comment, "version": str(report.version)}


def _fresh(report):
    return ProgressReport.objects.get(pk=report.pk)


def _the_report(task, unit, period):
    return ProgressReport.objects.get(task=task, unit=unit, period=period)


def _pdf(name="bien-ban-hop.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _draft(actor, task, unit, period, **fields):
    fields = {"percent_complete": 40, "progress_status": Progress.ON_TRACK,
              "results": "Đã dự thảo thông tư.", **fields}
    return progress_report_save_draft(actor=actor, task=task, unit=unit, period=period, **fields)


def _submitted(actor, task, unit, period, **fields):
    return progress_report_submit(report=_draft(actor, task, unit, period, **fields), actor=actor)


def _approved(reporter, leader, task, unit, period):
    return progress_report_approve(report=_submitted(reporter, task, unit, period), actor=leader)


def _has_editable_form(response) -> bool:
    return 'name="action" value="save"' in response.content.decode()


def _row_tasks(response):
    return {row["task"].pk for row in response.context["rows"]}


def _count_queries(client, url):
    assert client.get(url).status_code == 200  # warm: sessions, content types, translations
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)
