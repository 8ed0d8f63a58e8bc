"""Who is told of each step of an item, and what (lazy strings: each recipient reads them in
their own language; units.notifications.notify sends each once, by its key)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.text import localized
from units.models import Notification, User

from ..models import Proposal

_localized = lazy(localized, str)

RECEIVED_SUBJECT = _("Difficulties and proposals to route: %(task)s · %(unit)s")
RECEIVED_BODY = _("The approved report of %(unit)s on task %(task)s for %(period)s raised "
                  "%(count)s difficulties or proposals. Say who must act on each.")
ADDRESSED_SUBJECT = _("A %(kind)s addressed to you: %(task)s · %(unit)s")
ADDRESSED_BODY = _("%(actor)s addressed to %(addressee)s a %(kind)s raised by %(unit)s on task "
                   "%(task)s: %(text)s")
STEP_SUBJECTS = {
    "handling": _("Being handled: %(kind)s of %(unit)s on %(task)s"),
    "answered": _("Answered: %(kind)s of %(unit)s on %(task)s"),
    "closed": _("Closed: %(kind)s of %(unit)s on %(task)s"),
    "reopened": _("Reopened: %(kind)s of %(unit)s on %(task)s"),
}
STEP_BODY = _("%(actor)s: %(state)s. %(kind)s addressed to %(addressee)s: %(text)s "
              "%(answer)s")
KIND_NAMES = {Proposal.Kind.DIFFICULTY: _("difficulty"), Proposal.Kind.PROPOSAL: _("proposal")}


def _secretariat():
    return User.objects.filter(role=User.Role.SECRETARIAT, is_active=True)


def _people_of(unit):
    return User.objects.filter(unit=unit, is_active=True,
                               role__in=[User.Role.REPORTER, User.Role.LEADER])


def _addressee_people(item: Proposal):
    if item.addressee_kind == Proposal.AddresseeKind.UNIT:
        return _people_of(item.addressee_unit)
    return _secretariat()


def _raiser_people(item: Proposal):
    report = item.report
    return User.objects.filter(
        Q(pk__in=[report.created_by_id, report.submitted_by_id])
        | Q(unit_id=report.unit_id, role=User.Role.LEADER), is_active=True)


def _send(recipients, sender, *, key, subject, body, item=None, link="", **params):
    from units.notifications import notify

    notify(recipients=[user for user in recipients if sender is None or user.pk != sender.pk],
           kind=Notification.Kind.PROPOSAL, key=key, subject=subject, body=body,
           link=link or reverse("proposal", args=[item.pk]), params=params)


def _params(item: Proposal, actor) -> dict:
    report = item.report
    return {"actor": str(actor or ""), "task": report.task.code,
            "unit": _localized(report.unit.name, report.unit.name_en),
            "kind": KIND_NAMES[item.kind], "addressee": item.addressee_label or "—",
            "text": item.text[:300]}


def notify_received(items: list[Proposal], actor) -> None:
    report = items[0].report
    _send(_secretariat(), actor, key=f"proposal-received:{report.pk}",
          subject=RECEIVED_SUBJECT, body=RECEIVED_BODY, link=reverse("proposal_inbox"),
          task=report.task.code, unit=_localized(report.unit.name, report.unit.name_en),
          period=str(report.period), count=len(items))


def notify_addressed(item: Proposal, actor) -> None:
    _send(_addressee_people(item), actor, key=f"proposal-addressed:{item.pk}:{item.version}",
          subject=ADDRESSED_SUBJECT, body=ADDRESSED_BODY, item=item, **_params(item, actor))


def notify_step(item: Proposal, actor, step: str) -> None:
    recipients = list(_raiser_people(item))
    if step in ("closed", "reopened"):
        recipients += list(_addressee_people(item))
    if step == "answered":
        recipients += list(_secretariat())
    _send(recipients, actor, key=f"proposal-{step}:{item.pk}:{item.version}",
          subject=STEP_SUBJECTS[step], body=STEP_BODY, item=item,
          state=item.get_state_display(), answer=item.answer[:500] if step == "answered" else "",
          **_params(item, actor))
