"""Background jobs of the accountability app: escalating requests not answered in time."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from core.joblog import logged_job

from .selectors import requests_due_for_escalation
from .services import explanation_request_escalate


@shared_task(name="accountability.escalate_unanswered", autoretry_for=(Exception,),
             retry_backoff=True, max_retries=5)
@logged_job("accountability.escalate_unanswered")
def escalate_unanswered(on: str | None = None) -> dict:
    """Escalate every open request whose reply date is before `on` (ISO; default today),
    telling the requester and the unit's leaders. Idempotent: an escalated request is not open
    any more, and each person hears of each escalation once."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    escalated = 0
    for explanation in requests_due_for_escalation(on=day).select_related("unit"):
        escalated += explanation_request_escalate(explanation=explanation, on=day) is not None
    return {"escalated": escalated}
