"""What the reports app adds to the shared kinds: the notifications it sends and the file jobs
it runs."""

from django.utils.translation import gettext_lazy as _

from core.models import FileJob
from units.models import Notification

Notification.Kind.register("REPORT_REMINDER", "report_reminder", _("Reminders to submit reports"))
Notification.Kind.register("REPORT_LATE", "report_late", _("Late reports"))
Notification.Kind.register("REPORT_WORKFLOW", "report_workflow",
                           _("Reports submitted, returned or approved"))
Notification.Kind.register("MONTHLY_REPORT", "monthly_report", _("The monthly report"))

FileJob.Kind.register("REPORT_EXPORT", "report_export", _("Progress reports export"), waiting={
    FileJob.State.QUEUED: "reports.jobs.export_period_reports",
})
