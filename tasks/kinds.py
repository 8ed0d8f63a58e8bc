"""What the tasks app adds to the shared kinds: the notifications it sends."""

from django.utils.translation import gettext_lazy as _

from units.models import Notification

Notification.Kind.register("DEADLINE_REMINDER", "deadline_reminder", _("Deadline reminders"))
Notification.Kind.register("OVERDUE", "overdue", _("Overdue tasks"))
Notification.Kind.register("ESCALATION", "escalation", _("Escalations of overdue tasks"))
