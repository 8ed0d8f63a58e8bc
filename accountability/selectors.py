"""Reads of explanation requests, scoped to who may see them."""

from datetime import date

from django.db.models import Count, Q, QuerySet

from units.permissions import oversees_all_units

from .models import ExplanationRequest

State = ExplanationRequest.State


def request_list_visible_to(*, user) -> QuerySet[ExplanationRequest]:
    """Every request for leadership, the secretariat and administrators; for the people of a
    unit, the requests to their unit and the units under it; nothing for anyone else."""
    requests = ExplanationRequest.objects.all()
    if not user.is_authenticated or not user.is_active:
        return requests.none()
    if oversees_all_units(user):
        return requests
    if not user.unit_id:
        return requests.none()
    return requests.filter(unit__path__startswith=user.unit.path)


def request_list_with_subjects(*, user) -> QuerySet[ExplanationRequest]:
    """request_list_visible_to with what a list draws (unit, subject, people) read at once."""
    return request_list_visible_to(user=user).select_related(
        "unit", "task__resolution", "period", "indicator", "requested_by", "answered_by",
        "ended_by")


def requests_of_subject(*, user, task=None, indicator=None) -> QuerySet[ExplanationRequest]:
    """The requests about a task (overdue, or a report of it missing) or an indicator that the
    user may see, newest first."""
    requests = request_list_with_subjects(user=user)
    if task is not None:
        requests = requests.filter(task=task)
    if indicator is not None:
        requests = requests.filter(indicator=indicator)
    return requests.order_by("-requested_at", "-pk")


def awaiting_answer(*, user) -> QuerySet[ExplanationRequest]:
    """The requests in the user's scope still waiting for the unit's answer, the oldest reply
    date first, with their subjects read at once (not the people: a home page's line names
    none, and every join costs PostgreSQL's planner more than the few rows cost to read)."""
    return (request_list_visible_to(user=user).filter(state__in=ExplanationRequest.AWAITING)
            .select_related("task", "period", "indicator").order_by("reply_by", "pk"))


def awaiting_counts(*, user, on: date) -> dict:
    """{"awaiting": n, "late": m}: the requests in the user's scope waiting for an answer, and
    those of them past their reply date (one query)."""
    return request_list_visible_to(user=user).aggregate(
        awaiting=Count("pk", filter=Q(state__in=ExplanationRequest.AWAITING)),
        late=Count("pk", filter=Q(state__in=ExplanationRequest.AWAITING, reply_by__lt=on)),
        answered=Count("pk", filter=Q(state=State.ANSWERED)))


def requests_due_for_escalation(*, on: date) -> QuerySet[ExplanationRequest]:
    """Open requests whose reply date is before `on`."""
    return ExplanationRequest.objects.filter(state=State.OPEN, reply_by__lt=on).order_by("pk")
