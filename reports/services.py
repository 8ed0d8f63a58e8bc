"""Every write to progress reports: the monthly workflow (periods: reports.periods).

draft → submitted → approved (locked) or returned (with a comment) → ... ; the programme
secretariat may reopen an approved report with a reason. Each step checks the actor's permission,
records who and when, and leaves an audit record. A refusal is NotAllowed (the actor's role or
unit never allows it), WrongState (the report's state does not, now) or StaleReportError (a Stale:
the report changed since the editor read it); input that is not valid, ValidationError.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audited
from core.errors import Stale
from core.text import localized
from tasks.deadlines import ONE_OFF_KINDS, RECURRING_KINDS
from tasks.models import Task
from tasks.services import (
    output_mark_reported,
    output_record_issue,
    task_clear_completion,
    task_record_completion,
    task_set_occurrence_completions,
)
from units.models import Notification, Unit, User
from units.notifications import notify
from units.selectors import units_expected_to_report

from . import permissions
from .events import report_event_emit
from .evidence import evidence_add
from .models import OutputProgress, ProgressReport, ReportingPeriod
from .periods import period_get_or_create
from .proposals.services import proposals_create_for_report

EDITABLE_FIELDS = frozenset({"percent_complete", "progress_status", "results", "difficulties",
                             "proposals", "next_steps", "completion_date"})


class StaleReportError(Stale):
    """The report changed since the editor loaded it; the write was refused. `current` is the
    report as it now stands."""

    def __init__(self, current: ProgressReport):
        super().__init__(current, _("This report was changed by someone else since you opened "
                                    "it. Reload it to see their changes; nothing of yours was "
                                    "saved."))


def _check_unit_reports_on_task(task: Task, unit: Unit) -> None:
    responsible = units_expected_to_report(units=[task.lead_unit, *task.coordinating_units.all()])
    if unit.pk not in {body.pk for body in responsible}:
        raise ValidationError(_("This unit neither leads nor coordinates this task."))


SUBMITTED_SUBJECT = gettext_lazy("Report to approve: %(task)s · %(unit)s · %(period)s")
SUBMITTED_BODY = gettext_lazy(
    "%(actor)s submitted the report of %(unit)s on task %(task)s (%(title)s) for the period "
    "%(period)s. It awaits your approval."
)
RETURNED_SUBJECT = gettext_lazy("Report returned for correction: %(task)s · %(period)s")
RETURNED_BODY = gettext_lazy(
    "%(actor)s returned the report of %(unit)s on task %(task)s (%(title)s) for the period "
    "%(period)s for correction. Comment: %(comment)s"
)
APPROVED_SUBJECT = gettext_lazy("Report approved: %(task)s · %(period)s")
APPROVED_BODY = gettext_lazy(
    "%(actor)s approved the report of %(unit)s on task %(task)s (%(title)s) for the period "
    "%(period)s."
)

_localized = lazy(localized, str)


def _notify_workflow(report: ProgressReport, actor, recipients, *, key: str, subject, body,
                     **params) -> None:
    """Tell the people concerned by a workflow step (never the one who took it)."""
    task, unit = report.task, report.unit
    notify(
        recipients=[user for user in recipients if user is not None and user.pk != actor.pk],
        kind=Notification.Kind.REPORT_WORKFLOW, key=key, subject=subject, body=body,
        link=reverse("report", args=[report.task_id, report.unit_id, report.period.year,
                                     report.period.month]),
        params={"actor": str(actor), "task": task.code,
                "title": _localized(task.title, task.title_en),
                "unit": _localized(unit.name, unit.name_en), "period": str(report.period),
                **params},
    )


def _leaders_over(unit: Unit):
    """The active leaders of the unit and of every unit above it (who may approve its reports)."""
    return User.objects.filter(role=User.Role.LEADER, is_active=True,
                               unit_id__in=unit.ancestor_ids)


def _save(report: ProgressReport, actor, reason: str) -> ProgressReport:
    # The row is locked (select_for_update) by the caller, so a plain increment is safe.
    report.version += 1
    audited(report, actor, reason).save()
    return report


def _lock(report: ProgressReport, actor, step: permissions.ReportStep,
          expected_version: int | None, refused: str | None = None) -> ProgressReport:
    """The report locked as it now stands, if the actor may take the step on it and it is the
    version the actor read. Who may never do it learns nothing of its version."""
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    permissions.report_step_check(step, actor, locked, refused=refused)
    if expected_version is not None and locked.version != expected_version:
        raise StaleReportError(locked)
    return locked


_WRITE_REFUSED = gettext_lazy("You may not write this unit's reports.")


@transaction.atomic
def progress_report_save_draft(
    *,
    actor,
    task: Task,
    unit: Unit,
    period: ReportingPeriod,
    expected_version: int | None = None,
    **fields,
) -> ProgressReport:
    """Create or update the unit's report on the task for the period, as a draft.

    `expected_version` is the version the editor loaded: if the report changed since, nothing is
    written and StaleReportError is raised. Submitted and approved reports cannot be edited
    (WrongState).
    """
    unknown = fields.keys() - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if period.pk is None:  # the period's first report stores the period (pages never do)
        period = period_get_or_create(year=period.year, month=period.month)
    report = ProgressReport.objects.filter(task=task, unit=unit, period=period).first()
    if report is None:
        _check_unit_reports_on_task(task, unit)
        report = ProgressReport(task=task, unit=unit, period=period, created_by=actor)
        permissions.report_step_check(permissions.EDIT, actor, report, refused=_WRITE_REFUSED)
    else:
        report = _lock(report, actor, permissions.EDIT, expected_version, _WRITE_REFUSED)
    for name, value in fields.items():
        setattr(report, name, value)
    _validate_content(report)
    if report.pk is None:
        audited(report, actor, _("Draft created")).save()
        return report
    return _save(report, actor, _("Draft saved"))


def _validate_content(report: ProgressReport) -> None:
    report.clean()


def _check_submittable(report: ProgressReport) -> None:
    """What a report needs before it goes to the leader; every missing part is named."""
    errors = {}
    if not report.results.strip():
        errors["results"] = _("Describe the results achieved in the period.")
    task = report.task
    if (report.progress_status == ProgressReport.ProgressStatus.COMPLETED and report.is_lead_report
            and task.deadline_kind in ONE_OFF_KINDS and not task.lead_unit.is_collective):
        issued = {p.output_id for p in report.output_progress.all()
                  if p.status == OutputProgress.Status.ISSUED}
        missing = [o.title for o in task.outputs.all() if not o.is_done and o.pk not in issued]
        if missing:
            errors["outputs"] = _(
                "A completed task needs the issued document (number and date) of every output. "
                "Missing: %(outputs)s."
            ) % {"outputs": "; ".join(missing)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def progress_report_submit(*, report: ProgressReport, actor,
                           expected_version: int | None = None) -> ProgressReport:
    """Send a draft or returned report to the unit's leader."""
    report = _lock(report, actor, permissions.SUBMIT, expected_version, _WRITE_REFUSED)
    _validate_content(report)
    _check_submittable(report)
    report.state = ProgressReport.State.SUBMITTED
    report.submitted_by, report.submitted_at = actor, timezone.now()
    _save(report, actor, _("Submitted"))
    _notify_workflow(report, actor, _leaders_over(report.unit),
                     key=f"report-submitted:{report.pk}:{report.version}",
                     subject=SUBMITTED_SUBJECT, body=SUBMITTED_BODY)
    report_event_emit(report=report, kind="report.submitted")
    return report


@dataclass(frozen=True)
class ReportSaved:
    """What progress_report_save did: the report as it was saved and, when it was to be submitted
    but is not complete yet, why not (ValidationError; it was saved as a draft all the same)."""

    report: ProgressReport
    submit_errors: ValidationError | None = None


def _outputs_named(task: Task, rows: Sequence[Mapping]) -> list:
    """Each row with the task's output its "output" id names. An id that is not one of the
    task's outputs is a ValidationError on "outputs", its params saying which row and field."""
    known = {output.pk: output for output in task.outputs.all()}
    unknown = [ValidationError(_("The task has no output with this id."), code="does_not_exist",
                               params={"index": index, "field": "output"})
               for index, row in enumerate(rows) if row["output"] not in known]
    if unknown:
        raise ValidationError({"outputs": unknown})
    return [(known[row["output"]], row) for row in rows]


@transaction.atomic
def progress_report_save(*, actor, task: Task, unit: Unit, period: ReportingPeriod,
                         expected_version: int | None, fields: Mapping,
                         outputs: Sequence[Mapping] = (), files: Iterable = (),
                         submit: bool = False) -> ReportSaved:
    """Save the unit's report on the task for the period as its editor sent it, in one
    transaction: the content (`fields`, as progress_report_save_draft takes them), the state of
    the outputs (each row: the output's id as "output", "status", and optionally
    "document_number", "issued_on", "note", "file"; see output_progress_set), the evidence
    `files`, then, when `submit`, the submission.

    Everything is saved or nothing is (NotAllowed, WrongState, StaleReportError, ValidationError),
    except the submission: a report that cannot be submitted yet stays saved as a draft, and
    ReportSaved.submit_errors says what it lacks.
    """
    report = progress_report_save_draft(actor=actor, task=task, unit=unit, period=period,
                                        expected_version=expected_version, **fields)
    for output, row in _outputs_named(task, outputs):
        output_progress_set(report=report, output=output, actor=actor, status=row["status"],
                            document_number=row.get("document_number", ""),
                            issued_on=row.get("issued_on"), note=row.get("note", ""),
                            file=row.get("file"))
    for uploaded in files:
        evidence_add(report=report, actor=actor, uploaded=uploaded)
    if not submit:
        return ReportSaved(report)
    try:
        with transaction.atomic():
            return ReportSaved(progress_report_submit(report=report, actor=actor))
    except ValidationError as error:
        return ReportSaved(report, submit_errors=error)


@transaction.atomic
def progress_report_approve(*, report: ProgressReport, actor,
                            expected_version: int | None = None) -> ProgressReport:
    """Approve and lock a submitted report.

    Its difficulties and proposals become items of the register (reports.proposals). When it
    is the lead unit's report and says the task is completed, the issued outputs it
    reports are recorded on the task's outputs and the task's completion is recorded.
    """
    report = _lock(report, actor, permissions.DECIDE, expected_version,
                   _("You may not approve this report."))
    report.state = ProgressReport.State.APPROVED
    report.decided_by, report.decided_at = actor, timezone.now()
    report.return_comment = ""
    _save(report, actor, _("Approved"))
    _notify_workflow(report, actor, [report.submitted_by], key=f"report-approved:{report.pk}",
                     subject=APPROVED_SUBJECT, body=APPROVED_BODY)
    report_event_emit(report=report, kind="report.approved")
    proposals_create_for_report(report=report, actor=actor)
    if not report.is_lead_report:
        return report
    task = report.task
    if not task.lead_unit.is_collective:
        for progress in report.output_progress.select_related("output"):
            if progress.status == OutputProgress.Status.ISSUED and not progress.output.is_done:
                output_record_issue(output=progress.output, actor=actor,
                                    document_number=progress.document_number,
                                    issued_on=progress.issued_on, file=progress.file or None)
    if report.progress_status == ProgressReport.ProgressStatus.COMPLETED:
        _sync_task_completion(task, actor, _("Completed: report %(period)s approved")
                              % {"period": report.period})
    return report


def _sync_task_completion(task: Task, actor, reason: str) -> None:
    """Make the task's recorded completion what its lead's approved reports say.

    The lead is the lead unit or, for a collective lead, every member of it. A one-off task is
    completed once every lead body has an approved report saying so, on the latest of their
    (earliest reported) dates. A recurring task completes one occurrence per period in which every
    lead body's approved report says completed, on the latest of their dates that period.
    """
    lead = task.lead_unit
    bodies = {unit.pk for unit in units_expected_to_report(units=[lead])}
    rows = ProgressReport.objects.filter(
        task=task, unit_id__in=bodies, state=ProgressReport.State.APPROVED,
        progress_status=ProgressReport.ProgressStatus.COMPLETED,
    ).values_list("unit_id", "period_id", "completion_date")
    if task.deadline_kind in RECURRING_KINDS:
        by_period: dict[int, dict[int, date]] = defaultdict(dict)
        for unit_id, period_id, completed_on in rows:
            by_period[period_id][unit_id] = completed_on
        dates = [max(found.values()) for found in by_period.values() if found.keys() == bodies]
        task_set_occurrence_completions(task=task, actor=actor, completed_dates=dates,
                                        reason=reason)
        return
    earliest: dict[int, date] = {}
    for unit_id, _period_id, completed_on in rows:
        earliest[unit_id] = min(earliest.get(unit_id, completed_on), completed_on)
    completed_on = max(earliest.values()) if bodies and earliest.keys() == bodies else None
    if completed_on and completed_on != task.completed_on:
        task_record_completion(task=task, actor=actor, completed_on=completed_on, reason=reason)
    elif completed_on is None and task.completed_on:
        task_clear_completion(task=task, actor=actor, reason=reason)


@transaction.atomic
def progress_report_return(*, report: ProgressReport, actor, comment: str,
                           expected_version: int | None = None) -> ProgressReport:
    """Send a submitted report back to its authors with the leader's comment."""
    report = _lock(report, actor, permissions.DECIDE, expected_version,
                   _("You may not return this report."))
    if not comment.strip():
        raise ValidationError({"return_comment": _("Say what must be corrected.")})
    report.state = ProgressReport.State.RETURNED
    report.decided_by, report.decided_at = actor, timezone.now()
    report.return_comment = comment.strip()
    _save(report, actor, _("Returned: %(comment)s") % {"comment": report.return_comment})
    _notify_workflow(report, actor, [report.submitted_by, report.created_by],
                     key=f"report-returned:{report.pk}:{report.version}",
                     subject=RETURNED_SUBJECT, body=RETURNED_BODY,
                     comment=report.return_comment)
    report_event_emit(report=report, kind="report.returned")
    return report


@transaction.atomic
def progress_report_reopen(*, report: ProgressReport, actor, reason: str,
                           expected_version: int | None = None) -> ProgressReport:
    """Reopen an approved report for correction. The task's completion is reviewed against the
    approved reports that remain: one the reopened report alone stated is withdrawn."""
    report = _lock(report, actor, permissions.REOPEN, expected_version,
                   _("You may not reopen this report."))
    if not reason.strip():
        raise ValidationError({"reopen_reason": _("Give the reason for reopening.")})
    report.state = ProgressReport.State.DRAFT
    report.reopen_reason = reason.strip()
    _save(report, actor, _("Reopened: %(reason)s") % {"reason": report.reopen_reason})
    if report.is_lead_report and report.progress_status == (
            ProgressReport.ProgressStatus.COMPLETED):
        _sync_task_completion(report.task, actor,
                              _("Completion reviewed: report %(period)s reopened")
                              % {"period": report.period})
    return report


@transaction.atomic
def output_progress_set(*, report: ProgressReport, output, actor, status: str,
                        document_number: str = "", issued_on: date | None = None,
                        note: str = "", file=None) -> OutputProgress:
    """Record, on an editable report, the state of one of the task's outputs in the period."""
    if output.task_id != report.task_id:
        raise ValidationError(_("This output belongs to another task."))
    permissions.report_step_check(permissions.EDIT, actor, report, refused=_WRITE_REFUSED)
    if status == OutputProgress.Status.ISSUED and not issued_on:
        raise ValidationError({"issued_on": _("Give the date the document was issued.")})
    progress, _created = OutputProgress.objects.get_or_create(report=report, output=output)
    progress.status, progress.note = status, note.strip()
    progress.document_number, progress.issued_on = document_number.strip(), issued_on
    if file is not None:
        progress.file = file
    audited(progress, actor, _("Output state recorded")).save()
    output_mark_reported(output=output, actor=actor)
    return progress
