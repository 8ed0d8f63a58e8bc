"""What the indicators app adds to the shared kinds: the notifications it sends."""

from django.utils.translation import gettext_lazy as _

from units.models import Notification

Notification.Kind.register("INDICATOR_WORKFLOW", "indicator_workflow",
                           _("Indicator values submitted, returned or approved"))
