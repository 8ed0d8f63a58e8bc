"""What the webhooks app adds to the shared kinds: the notification of a paused subscription."""

from django.utils.translation import gettext_lazy as _

from units.models import Notification

Notification.Kind.register("WEBHOOK_PAUSED", "webhook_paused", _("Webhook subscriptions paused"))
