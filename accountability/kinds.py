"""What the accountability app adds to the shared kinds: its notifications and the events other
systems may subscribe to."""

from django.utils.translation import gettext_lazy as _

from core.events import EVENT_KINDS
from units.models import Notification

Notification.Kind.register("EXPLANATION", "explanation",
                           _("Explanation requests, their answers and escalations"))


def _request_visible(user, object_id: int) -> bool:
    from .selectors import request_list_visible_to

    return request_list_visible_to(user=user).filter(pk=object_id).exists()


EVENT_KINDS.register("EXPLANATION_REQUESTED", "explanation.requested",
                     _("A unit was asked to explain"), visible=_request_visible)
EVENT_KINDS.register("EXPLANATION_ANSWERED", "explanation.answered",
                     _("A unit answered an explanation request"), visible=_request_visible)
