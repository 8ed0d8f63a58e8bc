"""What the accountability app adds to other apps' pages (registered in
AccountabilityConfig.ready): on the task page, the requests about the task and, for leadership
and the secretariat, the button to ask its lead unit to explain when the task is overdue; the
same button on an indicator off track and on a report missing after its deadline."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.page_actions import PageAction
from indicators.status import TrackStatus
from reports.selectors import TO_SUBMIT
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


def _ask_url(**params) -> str:
    return reverse("accountability:new") + "?" + urlencode(params)


def indicator_ask_action(request, *, indicator, status, on) -> list[PageAction]:
    """On an indicator's page: ask its responsible unit to explain, when it is off track today
    and no request about it waits for an answer."""
    if (not can_request_explanations(request.user) or on != timezone.localdate()
            or status != TrackStatus.OFF_TRACK
            or ExplanationRequest.objects.filter(
                indicator=indicator, state__in=ExplanationRequest.AWAITING).exists()):
        return []
    return [PageAction(_("Ask for an explanation"),
                       _ask_url(kind=ExplanationRequest.Kind.INDICATOR_OFF_TRACK,
                                indicator=indicator.pk), "ask-explanation")]


def report_ask_action(request, *, task, unit, period, report) -> list[PageAction]:
    """On a report's page: ask the unit to explain a report still missing after its period's
    deadline."""
    if (not can_request_explanations(request.user) or period.pk is None
            or period.submission_deadline >= timezone.localdate()
            or (report.pk and report.state not in TO_SUBMIT)
            or ExplanationRequest.objects.filter(
                kind=ExplanationRequest.Kind.MISSING_REPORT, task=task, unit=unit,
                period=period, state__in=ExplanationRequest.AWAITING).exists()):
        return []
    return [PageAction(_("Ask for an explanation"),
                       _ask_url(kind=ExplanationRequest.Kind.MISSING_REPORT, task=task.pk,
                                unit=unit.pk, period=period.pk), "ask-explanation")]
