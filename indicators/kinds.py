"""What the indicators app adds to the shared kinds: the notifications it sends and the file
jobs it runs (with the background job that takes each up)."""

from django.utils.translation import gettext_lazy as _

from core.models import FileJob
from units.models import Notification

Notification.Kind.register("INDICATOR_WORKFLOW", "indicator_workflow",
                           _("Indicator values submitted, returned or approved"))
Notification.Kind.register("INDICATOR_REMINDER", "indicator_reminder",
                           _("Reminders to report indicator values"))

FileJob.Kind.register("INDICATOR_IMPORT", "indicator_import", _("Indicator annex import"),
                      waiting={
                          FileJob.State.QUEUED: "indicators.jobs.check_indicator_import",
                          FileJob.State.APPLYING: "indicators.jobs.apply_indicator_import",
                      })
