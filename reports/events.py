"""The events the reports app emits for subscribers (core.events; declared in reports/kinds.py).

Their data holds ids, codes, states and dates only: never a person's name nor a text a unit typed
(results, difficulties, a return comment)."""

from core.events import event_emit

from .models import IssuedMonthlyReport, ProgressReport


def report_event_emit(*, report: ProgressReport, kind: str) -> None:
    """A report was submitted, approved or returned (once per step: the key holds its version)."""
    event_emit(kind=kind, key=f"{kind}:{report.pk}:{report.version}", object_id=report.pk, data={
        "report": {"id": report.pk, "task_id": report.task_id, "task_code": report.task.code,
                   "unit_id": report.unit_id, "period": report.period.key,
                   "state": report.state, "version": report.version,
                   "percent_complete": report.percent_complete,
                   "progress_status": report.progress_status}})


def monthly_report_event_emit(*, issued: IssuedMonthlyReport) -> None:
    """A monthly report (or a new version of one) was issued."""
    kind = "monthly_report.issued"
    event_emit(kind=kind, key=f"{kind}:{issued.pk}", object_id=issued.pk, data={
        "monthly_report": {"id": issued.pk, "period": issued.period.key,
                           "version": issued.version, "number": issued.number,
                           "issued_on": issued.issued_on.isoformat(),
                           "sha256": issued.sha256, "sha256_en": issued.sha256_en}})
