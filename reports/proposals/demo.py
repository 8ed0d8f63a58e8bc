"""The register in the demo: a few of the items the demo's approved reports raised, taken to
the states a user meets (addressed to the demo's second ministry and waiting there, being
handled, answered, closed), through the services. Safe to repeat: once any item is addressed,
nothing more is done."""

from django.utils import timezone

from units.models import User

from ..models import Proposal
from .services import proposal_address, proposal_answer, proposal_close, proposal_take_up


def proposals_demo_load() -> int:
    """Take the oldest items through the workflow; returns how many were moved."""
    if Proposal.objects.exclude(addressee_kind="").exists():
        return 0
    items = list(Proposal.objects.select_related("report__unit").order_by("received_at", "pk")[:4])
    secretariat = User.objects.filter(username="secretariat").first()
    other = User.objects.filter(username="reporter2").select_related("unit").first()
    if len(items) < 4 or secretariat is None or other is None:
        return 0
    waiting, handling, answered, closed = items
    proposal_address(item=waiting, actor=secretariat, addressee_kind="unit", unit=other.unit)
    proposal_address(item=handling, actor=secretariat, addressee_kind="authority",
                     authority="government")
    proposal_take_up(item=handling, actor=secretariat)
    proposal_address(item=answered, actor=secretariat, addressee_kind="unit", unit=other.unit)
    proposal_take_up(item=answered, actor=other)
    proposal_answer(item=answered, actor=other,
                    answer="Đã có văn bản đôn đốc các đơn vị gửi ý kiến (minh họa).",
                    document_number="DEMO-15/BNV", document_date=timezone.localdate())
    proposal_address(item=closed, actor=secretariat, addressee_kind="authority",
                     authority="prime_minister")
    proposal_answer(item=closed, actor=secretariat,
                    answer="Thủ tướng Chính phủ đã cho ý kiến chỉ đạo (minh họa).")
    proposal_close(item=closed, actor=secretariat)
    return 4
