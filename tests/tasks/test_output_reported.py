"""An output a report spoke of is kept: the task records it on the output itself (reported_at),
without reading the reports app's tables."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from reports.models import OutputProgress
from reports.services import output_progress_set, progress_report_save_draft
from tasks.models import Output
from tasks.services import output_delete, output_is_in_use
from tests.factories import ProgressReportFactory, ReportingPeriodFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(reporter, department):
    task = TaskFactory(lead_unit=department)
    output = task.outputs.get()
    assert output.reported_at is None and not output_is_in_use(output)
    report = progress_report_save_draft(actor=reporter, task=task, unit=department,
                                        period=ReportingPeriodFactory(year=2025, month=11),
                                        results="Đang dự thảo")
    output_progress_set(report=report, output=output, actor=reporter, status="drafting")
    return output


def test_a_report_marks_its_output_reported_on_once_with_history(reported, reporter):
    first = Output.objects.get(pk=reported.pk).reported_at
    assert first is not None
    step = reported.history.latest("history_date", "history_id")
    assert (step.history_user, step.history_change_reason) == (reporter, "Đã được báo cáo")
    report = OutputProgress.objects.get(output=reported).report
    output_progress_set(report=report, output=Output.objects.get(pk=reported.pk),
                        actor=reporter, status="submitted")
    assert Output.objects.get(pk=reported.pk).reported_at == first
    assert reported.history.count() == 2  # created, then reported on: nothing more


def test_an_output_reported_on_cannot_be_removed(reported, reporter):
    assert output_is_in_use(reported)
    with pytest.raises(ValidationError):
        output_delete(output=reported, actor=reporter)


def test_an_edit_from_an_old_copy_keeps_the_mark(reporter, department):
    task = TaskFactory(lead_unit=department)
    stale = task.outputs.get()
    fresh = Output.objects.get(pk=stale.pk)
    report = progress_report_save_draft(actor=reporter, task=task, unit=department,
                                        period=ReportingPeriodFactory(year=2025, month=11))
    output_progress_set(report=report, output=fresh, actor=reporter, status="drafting")
    stale.title = "Thông tư hướng dẫn (sửa)"
    stale.save()
    assert Output.objects.get(pk=stale.pk).reported_at is not None


def test_the_migration_marks_the_outputs_already_reported_on(reporter, department):
    task = TaskFactory(lead_unit=department)
    spoken_of, silent = task.outputs.get(), Output.objects.create(task=task, kind="plan",
                                                                  title="Kế hoạch", position=1)
    report = ProgressReportFactory(task=task, unit=department, created_by=reporter,
                                   period=ReportingPeriodFactory(year=2025, month=11))
    OutputProgress.objects.create(report=report, output=spoken_of, status="drafting")
    migration = importlib.import_module("reports.migrations.0010_fill_output_reported_at")
    migration.fill(apps, None)
    assert Output.objects.get(pk=spoken_of.pk).reported_at == report.created_at
    assert Output.objects.get(pk=silent.pk).reported_at is None
