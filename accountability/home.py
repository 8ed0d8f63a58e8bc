"""What the accountability app adds to the home pages (registered in AccountabilityConfig.ready):
a unit's requests still to answer, and for the secretariat those waiting and those late."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.text import dmy
from reports.waiting import WaitingItem
from units.permissions import is_programme_office

from .selectors import awaiting_answer, awaiting_counts
from .subjects import subject_text

#: How many requests a unit's home names (the count says how many in all).
NAMED = 10


def unit_explanations(*, user, on) -> list[WaitingItem]:
    """The requests the user's unit (and the units under it) has still to answer."""
    if not user.unit_id:
        return []
    waiting = list(awaiting_answer(user=user)[:NAMED + 1])
    if not waiting:
        return []
    count = len(waiting) if len(waiting) <= NAMED else awaiting_answer(user=user).count()
    lines = [{"text": subject_text(explanation)[:1].upper() + subject_text(explanation)[1:],
              "url": reverse("accountability:detail", args=[explanation.pk]),
              "note": _("answer by %(date)s") % {"date": dmy(explanation.reply_by)},
              "late": explanation.reply_by < on}
             for explanation in waiting[:NAMED]]
    return [WaitingItem(
        key="explanations", count=count, label=_("Explanations asked of your unit"),
        url=reverse("accountability:list") + "?state=open&state=escalated",
        action=_("Every request to your unit"), lines=lines)]


def secretariat_explanations(*, user, on) -> list[WaitingItem]:
    """The programme's requests waiting for an answer (how many are late) and those answered,
    to close."""
    if not is_programme_office(user):
        return []
    counts = awaiting_counts(user=user, on=on)
    if not counts["awaiting"] and not counts["answered"]:
        return []
    action = ngettext("%(count)s past its answer date.", "%(count)s past their answer date.",
                      counts["late"]) % {"count": counts["late"]}
    if counts["answered"]:
        action += " " + ngettext("%(count)s answered, to close.", "%(count)s answered, to close.",
                                 counts["answered"]) % {"count": counts["answered"]}
    return [WaitingItem(key="explanations", count=counts["awaiting"],
                        label=_("Explanation requests waiting for an answer"),
                        url=reverse("accountability:list"),
                        action=action + " " + _("Open the register"))]
