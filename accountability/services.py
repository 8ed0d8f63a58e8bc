"""Every write to explanation requests: asking, answering, escalating, closing, withdrawing.

Each step checks the actor's permission (accountability.permissions), records who and when,
leaves an audit record, notifies its recipients once in their language, and for asking and
answering emits its event in the same transaction. A refusal is NotAllowed, WrongState or
StaleExplanationError (a Stale); input that is not valid, ValidationError.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audited
from core.errors import NotAllowed, Stale, WrongState
from core.events import EVENT_KINDS, event_emit
from core.text import dmy
from tasks.models import Task
from units.models import Notification, User
from units.notifications import notify
from units.selectors import units_expected_to_report

from . import permissions
from .models import ExplanationRequest
from .subjects import Subject, subject_problem

Kind, State = ExplanationRequest.Kind, ExplanationRequest.State

ASKED_SUBJECT = gettext_lazy("Explanation requested: %(subject)s")
ASKED_BODY = gettext_lazy("%(actor)s asks %(unit)s to explain %(subject)s, by %(reply_by)s. "
                          "Message: %(message)s")
ANSWERED_SUBJECT = gettext_lazy("Explanation answered: %(subject)s")
ANSWERED_BODY = gettext_lazy("%(actor)s (%(unit)s) answered your request about %(subject)s. "
                             "Reason: %(reason)s Remedy: %(remedy)s New expected date: "
                             "%(expected_on)s.")
ESCALATED_SUBJECT = gettext_lazy("Explanation overdue: %(subject)s")
ESCALATED_BODY = gettext_lazy("%(unit)s has not answered the request about %(subject)s, due by "
                              "%(reply_by)s. The request is escalated.")
CLOSED_SUBJECT = gettext_lazy("Explanation accepted and closed: %(subject)s")
CLOSED_BODY = gettext_lazy("%(actor)s accepted the answer about %(subject)s and closed the "
                           "request. %(note)s")
WITHDRAWN_SUBJECT = gettext_lazy("Explanation request withdrawn: %(subject)s")
WITHDRAWN_BODY = gettext_lazy("%(actor)s withdrew the request about %(subject)s: no answer is "
                              "needed. %(note)s")


# Rendered by notify in each recipient's language.
_unit_name = lazy(lambda unit: unit.display_name, str)


class StaleExplanationError(Stale):
    """The request changed since the user read it; `current` is the request as it now stands."""

    def __init__(self, current: ExplanationRequest):
        super().__init__(current, _("This request was changed by someone else since you opened "
                                    "it. Read it again; nothing of yours was saved."))


def default_reply_by(on: date) -> date:
    return on + timedelta(days=settings.EXPLANATION_REPLY_DAYS)


def unit_leaders(unit) -> list[User]:
    """The active leaders of the unit asked: who answers for it."""
    return list(User.objects.filter(role=User.Role.LEADER, is_active=True, unit=unit))


def _link(explanation: ExplanationRequest) -> str:
    return reverse("accountability:detail", args=[explanation.pk])


def _notify(explanation, actor, recipients, *, key: str, subject, body, **params) -> None:
    notify(recipients=[user for user in recipients
                       if user is not None and (actor is None or user.pk != actor.pk)],
           kind=Notification.Kind.EXPLANATION, key=key, subject=subject, body=body,
           link=_link(explanation),
           params={"actor": str(actor or ""), "unit": _unit_name(explanation.unit),
                   "subject": Subject(explanation), "reply_by": dmy(explanation.reply_by),
                   **params})


def _emit(explanation: ExplanationRequest, kind: str, key: str) -> None:
    event_emit(kind=kind, key=key, object_id=explanation.pk, data={
        "id": explanation.pk, "kind": explanation.kind, "state": explanation.state,
        "unit_id": explanation.unit_id, "task_id": explanation.task_id,
        "period": explanation.period.key if explanation.period_id else None,
        "indicator_id": explanation.indicator_id,
        "reply_by": explanation.reply_by.isoformat(),
        "expected_on": explanation.expected_on.isoformat() if explanation.expected_on else None,
        "version": explanation.version})


def _save(explanation: ExplanationRequest, actor, reason: str) -> ExplanationRequest:
    explanation.version += 1
    audited(explanation, actor, reason).save()
    return explanation


def _lock(explanation: ExplanationRequest, expected_version: int | None) -> ExplanationRequest:
    locked = (ExplanationRequest.objects
              .select_related("unit", "task", "period", "indicator", "requested_by")
              .select_for_update(of=("self",)).get(pk=explanation.pk))
    if expected_version is not None and locked.version != expected_version:
        raise StaleExplanationError(locked)
    return locked


def _asked_unit(kind, *, task, indicator, unit):
    if unit is not None:
        return unit
    if kind == Kind.INDICATOR_OFF_TRACK and indicator is not None:
        return indicator.responsible_unit
    if kind == Kind.OVERDUE_TASK and task is not None:
        return task.lead_unit
    return None


def _check_subject(kind, *, task, period, indicator, unit) -> None:
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose what the unit is to explain.")
    elif kind in (Kind.OVERDUE_TASK, Kind.MISSING_REPORT) and task is None:
        errors["task"] = _("Choose the task.")
    elif kind == Kind.MISSING_REPORT and period is None:
        errors["period"] = _("Choose the reporting period.")
    elif kind == Kind.INDICATOR_OFF_TRACK and indicator is None:
        errors["indicator"] = _("Choose the indicator.")
    if unit is None and "kind" not in errors:
        errors["unit"] = _("Choose the unit asked to explain.")
    if errors:
        raise ValidationError(errors)
    if kind in (Kind.OVERDUE_TASK, Kind.MISSING_REPORT):
        named = [task.lead_unit, *task.coordinating_units.all()]
        # A collective unit's members report for it, so they may be asked as well.
        involved = {body.pk for body in [*named, *units_expected_to_report(units=named)]}
        if unit.pk not in involved and not any(part in involved for part in unit.ancestor_ids):
            raise ValidationError({"unit": _("This unit neither leads nor coordinates the task.")})


@transaction.atomic
def explanation_request_create(*, actor, kind: str, message: str, task: Task | None = None,
                               period=None, indicator=None, unit=None,
                               reply_by: date | None = None,
                               on: date | None = None) -> ExplanationRequest:
    """Ask `unit` (by default the task's lead unit, or the indicator's responsible unit) to
    explain an overdue task, its missing report of `period`, or an indicator off track, by
    `reply_by` (EXPLANATION_REPLY_DAYS from today by default). The subject must stand today,
    and a request still waiting on the same subject is not asked twice. Notifies the unit's
    leaders."""
    if not permissions.can_request_explanations(actor):
        raise NotAllowed(_("Only leadership and the programme secretariat ask units to "
                           "explain."))
    on = on or timezone.localdate()
    if kind != Kind.MISSING_REPORT:
        period = None
    if kind == Kind.INDICATOR_OFF_TRACK:
        task = None
    else:
        indicator = None
    unit = _asked_unit(kind, task=task, indicator=indicator, unit=unit)
    _check_subject(kind, task=task, period=period, indicator=indicator, unit=unit)
    errors = {}
    message = (message or "").strip()
    if not message:
        errors["message"] = _("Say what the unit is to explain.")
    reply_by = reply_by or default_reply_by(on)
    if reply_by < on:
        errors["reply_by"] = _("The answer date cannot be in the past.")
    problem = subject_problem(kind=kind, task=task, period=period, indicator=indicator,
                              unit=unit, on=on)
    if problem:
        errors["__all__"] = problem
    if errors:
        raise ValidationError(errors)
    waiting = ExplanationRequest.objects.filter(
        kind=kind, unit=unit, task=task, period=period, indicator=indicator,
        state__in=ExplanationRequest.AWAITING).first()
    if waiting is not None:
        raise ValidationError(_("This unit has already been asked about this (request "
                                "%(id)s) and has not answered yet.") % {"id": waiting.pk})
    explanation = ExplanationRequest(
        kind=kind, unit=unit, task=task, period=period, indicator=indicator, message=message,
        reply_by=reply_by, requested_by=actor, requested_at=timezone.now())
    audited(explanation, actor, _("Explanation requested")).save()
    _notify(explanation, actor, unit_leaders(unit), key=f"explanation-asked:{explanation.pk}",
            subject=ASKED_SUBJECT, body=ASKED_BODY, message=message)
    _emit(explanation, EVENT_KINDS.EXPLANATION_REQUESTED,
          f"explanation.requested:{explanation.pk}")
    return explanation


@transaction.atomic
def explanation_request_answer(*, explanation: ExplanationRequest, actor, reason: str,
                               remedy: str, expected_on: date | None,
                               expected_version: int | None = None,
                               on: date | None = None) -> ExplanationRequest:
    """The unit's leader answers: why, what is being done, and the new expected date (not
    before `on`, today by default). Notifies the requester."""
    explanation = _lock(explanation, expected_version)
    if not permissions.may_answer_for(actor, explanation):
        raise NotAllowed(_("Only a leader of the unit asked answers for it."))
    if not explanation.is_awaiting:
        raise WrongState(_("This request is no longer waiting for an answer."))
    errors = {}
    reason, remedy = (reason or "").strip(), (remedy or "").strip()
    if not reason:
        errors["reason"] = _("Give the reason.")
    if not remedy:
        errors["remedy"] = _("Say what is being done about it.")
    if expected_on is None:
        errors["expected_on"] = _("Give the new expected date.")
    elif expected_on < (on or timezone.localdate()):
        errors["expected_on"] = _("The new expected date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    explanation.reason, explanation.remedy, explanation.expected_on = reason, remedy, expected_on
    explanation.answered_by, explanation.answered_at = actor, timezone.now()
    explanation.state = State.ANSWERED
    _save(explanation, actor, _("Answered"))
    _notify(explanation, actor, [explanation.requested_by],
            key=f"explanation-answered:{explanation.pk}:{explanation.version}",
            subject=ANSWERED_SUBJECT, body=ANSWERED_BODY, reason=reason, remedy=remedy,
            expected_on=dmy(expected_on))
    _emit(explanation, EVENT_KINDS.EXPLANATION_ANSWERED,
          f"explanation.answered:{explanation.pk}:{explanation.version}")
    return explanation


@transaction.atomic
def explanation_request_escalate(*, explanation: ExplanationRequest,
                                 on: date) -> ExplanationRequest | None:
    """Escalate an open request whose reply date is before `on` (the scheduled job; no actor):
    the requester and the unit's leaders are told once. None when there is nothing to do (it
    was answered, withdrawn or escalated meanwhile)."""
    explanation = _lock(explanation, None)
    if explanation.state != State.OPEN or explanation.reply_by >= on:
        return None
    explanation.state, explanation.escalated_at = State.ESCALATED, timezone.now()
    _save(explanation, None, _("Escalated: not answered by %(date)s") % {
        "date": dmy(explanation.reply_by)})
    _notify(explanation, None, [explanation.requested_by, *unit_leaders(explanation.unit)],
            key=f"explanation-escalated:{explanation.pk}",
            subject=ESCALATED_SUBJECT, body=ESCALATED_BODY)
    return explanation


def _end(explanation, actor, *, state, allowed, refused, wrong, note, expected_version,
         reason, subject, body):
    explanation = _lock(explanation, expected_version)
    if not permissions.may_end_request(actor, explanation):
        raise NotAllowed(refused)
    if not allowed(actor, explanation):
        raise WrongState(wrong)
    note = (note or "").strip()
    explanation.state, explanation.end_note = state, note
    explanation.ended_by, explanation.ended_at = actor, timezone.now()
    _save(explanation, actor, f"{reason}: {note}" if note else reason)
    recipients = unit_leaders(explanation.unit) + (
        [explanation.answered_by] if explanation.answered_by_id else [])
    _notify(explanation, actor, recipients, key=f"explanation-{state}:{explanation.pk}",
            subject=subject, body=body, note=note)
    return explanation


@transaction.atomic
def explanation_request_close(*, explanation: ExplanationRequest, actor, note: str = "",
                              expected_version: int | None = None) -> ExplanationRequest:
    """The requester (or the secretariat) accepts the answer and closes the request."""
    return _end(explanation, actor, state=State.CLOSED, allowed=permissions.can_close_request,
                refused=_("Only the requester or the programme secretariat closes a request."),
                wrong=_("Only an answered request can be closed."), note=note,
                expected_version=expected_version, reason=_("Closed"),
                subject=CLOSED_SUBJECT, body=CLOSED_BODY)


@transaction.atomic
def explanation_request_withdraw(*, explanation: ExplanationRequest, actor, note: str = "",
                                 expected_version: int | None = None) -> ExplanationRequest:
    """The requester (or the secretariat) withdraws a request not yet answered."""
    return _end(explanation, actor, state=State.WITHDRAWN,
                allowed=permissions.can_withdraw_request,
                refused=_("Only the requester or the programme secretariat withdraws a "
                          "request."),
                wrong=_("An answered or closed request cannot be withdrawn."), note=note,
                expected_version=expected_version, reason=_("Withdrawn"),
                subject=WITHDRAWN_SUBJECT, body=WITHDRAWN_BODY)
