"""The register in the monthly report: the items still open (received or being handled) on the
day the figures are computed, by addressee, each with its age, JSON-ready so an issued report
keeps them as they stood (reports.compliance.monthly_report_data stores them under
"open_proposals"; reports.proposals.pdf draws them). One query."""

from datetime import date

from django.conf import settings
from django.utils import timezone

from ..models import Proposal

#: The longest text quoted per item (its page in the register has the rest).
TEXT_CHARS = 600


def _addressee(item: Proposal) -> dict:
    unit = item.addressee_unit
    return {"addressee_kind": item.addressee_kind, "authority": item.authority,
            "authority_name": item.authority_name,
            "unit_name": unit.name if unit else "", "unit_name_en": unit.name_en if unit else ""}


def monthly_proposal_data(*, on: date) -> list[dict]:
    """[{addressee (see _addressee), "items": [{"id", "kind", "task_code", "unit_name",
    "unit_name_en", "text", "received_on", "age_days", "overdue"}]}], the addressees with the
    oldest item first, the items oldest first."""
    days = settings.PROPOSAL_ANSWER_DAYS
    items = (Proposal.objects.filter(state__in=Proposal.OPEN_STATES,
                                     received_at__date__lte=on)
             .select_related("report__task", "report__unit", "addressee_unit")
             .order_by("received_at", "pk"))
    groups: dict[tuple, dict] = {}
    for item in items:
        head = _addressee(item)
        group = groups.setdefault(tuple(head.values()), {**head, "items": []})
        received = timezone.localdate(item.received_at)
        age = (on - received).days
        text = item.text if len(item.text) <= TEXT_CHARS else item.text[:TEXT_CHARS - 1] + "…"
        group["items"].append({
            "id": item.pk, "kind": item.kind, "task_code": item.report.task.code,
            "unit_name": item.report.unit.name, "unit_name_en": item.report.unit.name_en,
            "text": text, "received_on": received.isoformat(), "age_days": age,
            "overdue": age > days})
    return list(groups.values())
