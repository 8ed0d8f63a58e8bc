"""What the accountability app shows on the task page (registered in AccountabilityConfig.ready):
the requests about the task, and for leadership and the secretariat the button to ask its lead
unit to explain when the task is overdue."""

from django.utils import timezone

from tasks.pages import Section
from tasks.rules import StatusClass, task_status_class

from .models import ExplanationRequest
from .permissions import can_request_explanations
from .selectors import requests_of_subject


def task_explanations_section(request, task) -> Section:
    explanations = list(requests_of_subject(user=request.user, task=task)[:20])
    may_ask = (can_request_explanations(request.user)
               and task_status_class(task=task, on=timezone.localdate()) == StatusClass.OVERDUE
               and not any(e.kind == ExplanationRequest.Kind.OVERDUE_TASK and e.is_awaiting
                           for e in explanations))
    return Section(side="accountability/task_explanations.html",
                   context={"task_explanations": explanations, "may_ask_explanation": may_ask})
