"""What the reports app adds to the shared kinds: the notifications it sends, the file jobs it
runs and the events other systems may subscribe to."""

from django.utils.translation import gettext_lazy as _

from core.events import EVENT_KINDS
from core.models import FileJob
from units.models import Notification

Notification.Kind.register("REPORT_REMINDER", "report_reminder", _("Reminders to submit reports"))
Notification.Kind.register("REPORT_LATE", "report_late", _("Late reports"))
Notification.Kind.register("REPORT_WORKFLOW", "report_workflow",
                           _("Reports submitted, returned or approved"))
Notification.Kind.register("MONTHLY_REPORT", "monthly_report", _("The monthly report"))
Notification.Kind.register("PROPOSAL", "proposal", _("Difficulties and proposals raised"))

FileJob.Kind.register("REPORT_EXPORT", "report_export", _("Progress reports export"), waiting={
    FileJob.State.QUEUED: "reports.jobs.export_period_reports",
})


def _report_visible(user, object_id: int) -> bool:
    from .selectors import report_list_visible_to

    return report_list_visible_to(user=user).filter(pk=object_id).exists()


def _monthly_report_visible(user, object_id: int) -> bool:
    from .permissions import can_read_monthly_reports

    return can_read_monthly_reports(user)


EVENT_KINDS.register("REPORT_SUBMITTED", "report.submitted", _("A report was submitted"),
                     visible=_report_visible)
EVENT_KINDS.register("REPORT_APPROVED", "report.approved", _("A report was approved"),
                     visible=_report_visible)
EVENT_KINDS.register("REPORT_RETURNED", "report.returned", _("A report was returned"),
                     visible=_report_visible)
EVENT_KINDS.register("MONTHLY_REPORT_ISSUED", "monthly_report.issued",
                     _("A monthly report was issued"), visible=_monthly_report_visible)
