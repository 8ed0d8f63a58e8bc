"""The register's lines on the home page: the secretariat's (a SECRETARIAT_ITEMS provider, for
items addressed to an authority or to no one yet) and a unit's (its open items)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ..waiting import WaitingItem
from .selectors import proposal_inbox_counts


def secretariat_proposals(*, user, on) -> list[WaitingItem]:
    """The items the secretariat must route or answer for an authority, when there are any."""
    counts = proposal_inbox_counts(user=user, on=on)
    if not counts["open"]:
        return []
    label = _("Difficulties and proposals to route or answer")
    if counts["overdue"]:
        label += " · " + _("%(count)d overdue") % {"count": counts["overdue"]}
    return [WaitingItem(key="proposals", count=counts["open"], label=label,
                        url=reverse("proposal_inbox"), action=_("Open the inbox"))]


def unit_proposals(*, user, on) -> dict:
    """{"proposals_open", "proposals_overdue"}: the open items addressed to the user's unit."""
    counts = proposal_inbox_counts(user=user, on=on)
    return {"proposals_open": counts["open"], "proposals_overdue": counts["overdue"]}
