from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from core.events import event_handler_register

        from . import kinds  # noqa: F401  (declares this app's notification kind)
        from .outbox import webhook_outbox_record

        # Every event emitted by a service is stored for each subscription in its transaction.
        event_handler_register(webhook_outbox_record)
