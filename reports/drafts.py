"""Asking for a monthly report's draft: the job that prepares it is queued once the request is
recorded (the jobs import reports.monthly, never this module)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queueing import queue_after_commit

from . import permissions
from .jobs import prepare_monthly_report_draft
from .models import MonthlyReportData, ReportingPeriod
from .monthly import monthly_report_record


def monthly_report_request_draft(*, period: ReportingPeriod, actor,
                                 on_broker_failure=None) -> MonthlyReportData:
    """Ask for the period's draft to be prepared by a job (for a large programme): the record
    says at once that it is queued, and the job is queued when the transaction commits. When
    the broker cannot be reached, `on_broker_failure` is called and the request stays queued:
    the sweep job (reports.sweep_monthly_drafts) queues it again."""
    if not permissions.can_issue_monthly_reports(actor):
        raise PermissionDenied(_("Only the programme secretariat issues the monthly report."))
    record = (MonthlyReportData.objects.filter(period=period).first()
              or MonthlyReportData(period=period, data={}))
    record.progress, record.queued_at = MonthlyReportData.QUEUED, timezone.now()
    monthly_report_record(record, _("Draft requested"), ["progress", "queued_at"], actor=actor)
    queue_after_commit(prepare_monthly_report_draft, period.pk,
                       on_broker_failure=on_broker_failure)
    return record
