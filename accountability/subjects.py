"""What a request is about, in words (in the active language), and whether it still stands."""

from datetime import date

from django.utils.translation import gettext as _

from indicators.status import TrackStatus, indicator_track
from reports.models import ProgressReport
from reports.selectors import TO_SUBMIT
from tasks.rules import StatusClass, task_status_class

from .models import ExplanationRequest

Kind = ExplanationRequest.Kind


def subject_text(explanation: ExplanationRequest) -> str:
    """"task 1.2 (282/NQ-CP) overdue", "the report on task 1.2 for 11/2025", "indicator 3 off
    track", in the active language."""
    if explanation.kind == Kind.INDICATOR_OFF_TRACK:
        indicator = explanation.indicator
        return _("indicator %(code)s (%(name)s), off track") % {
            "code": indicator.code, "name": indicator.display_name}
    task = explanation.task
    if explanation.kind == Kind.MISSING_REPORT:
        return _("the report on task %(code)s for period %(period)s, not submitted") % {
            "code": task.code, "period": explanation.period}
    return _("task %(code)s (%(title)s), overdue") % {
        "code": task.code, "title": task.display_title[:120]}


class Subject:
    """subject_text, drawn when it is turned into text: a notification renders it in each
    recipient's language."""

    def __init__(self, explanation: ExplanationRequest):
        self.explanation = explanation

    def __str__(self) -> str:
        return subject_text(self.explanation)


def subject_problem(*, kind: str, task=None, period=None, indicator=None, unit=None,
                    on: date) -> str | None:
    """Why the subject cannot be asked about on `on` (a message), or None when it can: the task
    is overdue; the unit's report for the period is due and not submitted; the indicator is off
    track."""
    if kind == Kind.OVERDUE_TASK:
        if task_status_class(task=task, on=on) != StatusClass.OVERDUE:
            return _("This task is not overdue: there is nothing to explain.")
    elif kind == Kind.MISSING_REPORT:
        if period.submission_deadline >= on:
            return _("The period's reports are not due yet (due by %(date)s).") % {
                "date": period.submission_deadline.strftime("%d/%m/%Y")}
        state = (ProgressReport.objects.filter(task=task, unit=unit, period=period)
                 .values_list("state", flat=True).first())
        if state is not None and state not in TO_SUBMIT:
            return _("This unit's report for the period has been submitted.")
    elif (kind == Kind.INDICATOR_OFF_TRACK
          and indicator_track(indicator, on=on).status != TrackStatus.OFF_TRACK):
        return _("This indicator is not off track: there is nothing to explain.")
    return None
