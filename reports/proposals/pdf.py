"""The monthly report's section on the open difficulties and proposals, in the active language,
from the figures stored with the report (reports.proposals.monthly). Drawn by
templates/reports/pdf/proposals.html."""

from datetime import date

from django.utils.translation import gettext as _

from core.text import dmy, localized

from ..models import Proposal


def _addressee_label(group: dict) -> str:
    if group.get("addressee_kind") == Proposal.AddresseeKind.UNIT:
        return localized(group.get("unit_name", ""), group.get("unit_name_en", ""))
    if group.get("addressee_kind") == Proposal.AddresseeKind.AUTHORITY:
        if group.get("authority_name"):
            return group["authority_name"]
        try:
            return str(Proposal.Authority(group.get("authority")).label)
        except ValueError:
            return group.get("authority", "")
    return _("Not yet addressed (the secretariat routes them)")


def open_proposal_groups(groups: list[dict] | None) -> list[dict] | None:
    """Each addressee's open items as the PDF writes them; None for figures stored before the
    register existed (no section then)."""
    if groups is None:
        return None
    kinds = {value: str(label) for value, label in Proposal.Kind.choices}
    return [{"addressee": _addressee_label(group), "count": len(group.get("items") or []),
             "items": [{"kind": kinds.get(item.get("kind"), ""),
                        "task_code": item.get("task_code", ""),
                        "unit": localized(item.get("unit_name", ""), item.get("unit_name_en", "")),
                        "text": item.get("text", ""),
                        "received": dmy(date.fromisoformat(item["received_on"]))
                        if item.get("received_on") else "",
                        "age": item.get("age_days", 0), "overdue": item.get("overdue", False)}
                       for item in group.get("items") or []]}
            for group in groups]
