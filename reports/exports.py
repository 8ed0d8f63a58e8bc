"""A period's progress reports as an Excel workbook or a CSV file (headers in the user's
language, dates dd/mm/yyyy, every cell safe from formula injection)."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.exchange.exporting import FORMATS, export_filename
from tasks.exchange.writing import SheetSpec, csv_bytes, xlsx_bytes
from tasks.selectors import task_list_visible_to

from . import permissions
from .models import ProgressReport, ReportingPeriod

COLUMNS = [
    (gettext_lazy("Period"), 10), (gettext_lazy("Resolution"), 14),
    (gettext_lazy("Task code"), 9), (gettext_lazy("Task"), 50),
    (gettext_lazy("Reporting unit"), 28), (gettext_lazy("Reports as"), 14),
    (gettext_lazy("State"), 14), (gettext_lazy("Percent complete"), 10),
    (gettext_lazy("Progress status"), 22), (gettext_lazy("Results in the period"), 50),
    (gettext_lazy("Difficulties and obstacles"), 40),
    (gettext_lazy("Proposals and recommendations"), 40), (gettext_lazy("Next steps"), 40),
    (gettext_lazy("Completion date"), 14), (gettext_lazy("Submitted on"), 14),
    (gettext_lazy("Approved or returned on"), 14),
    (gettext_lazy("Approved or returned by"), 22),
]


def period_reports_visible(*, user, period: ReportingPeriod) -> list[ProgressReport]:
    """The period's reports the user may read, in task order, in a fixed number of queries."""
    reports = (ProgressReport.objects.filter(period=period,
                                             task__in=task_list_visible_to(user=user))
               .select_related("period", "unit", "task__resolution", "task__lead_unit",
                               "decided_by")
               .prefetch_related("task__lead_unit__members")
               .order_by("task__resolution__issued_on", "task__resolution__number",
                         "task__sort_key", "unit__path"))
    return [report for report in reports if permissions.can_view_report(user, report)]


def period_reports_count(*, user, period: ReportingPeriod) -> int:
    """An upper bound of what the export holds (to decide whether to prepare it as a job)."""
    return ProgressReport.objects.filter(period=period,
                                         task__in=task_list_visible_to(user=user)).count()


def _date(moment):
    return timezone.localtime(moment).date() if moment else None


def _rows(reports):
    for report in reports:
        yield [
            str(report.period), report.task.resolution.number, report.task.code,
            report.task.title, report.unit.name,
            _("lead unit") if report.is_lead_report else _("coordinating unit"),
            str(report.get_state_display()), report.percent_complete,
            str(report.get_progress_status_display()), report.results, report.difficulties,
            report.proposals, report.next_steps, report.completion_date,
            _date(report.submitted_at), _date(report.decided_at),
            str(report.decided_by) if report.decided_by else "",
        ]


def period_reports_export(*, reports: list[ProgressReport] | QuerySet, period: ReportingPeriod,
                          file_format: str, progress=None) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the reports as a workbook or CSV file."""
    reports = list(reports)
    spec = SheetSpec(
        title=_("Reports %(period)s") % {"period": period.key},
        header=[str(label) for label, _width in COLUMNS], rows=_rows(reports),
        widths=[width for _label, width in COLUMNS],
        heading=[_("Progress reports of the period %(period)s") % {"period": str(period)}])
    total = len(reports) if progress else None
    if file_format == "csv":
        content = csv_bytes(spec, progress=progress, total=total)
    else:
        content = xlsx_bytes([spec], progress=progress, total=total)
    name = export_filename(stem=_("reports") + f"-{period.key}", extension=file_format,
                           on=timezone.localdate())
    return content, name, FORMATS[file_format]
