"""Every write to the register: items created from an approved report, then addressed, split,
taken up, answered, closed or reopened. Each step checks who may take it (permissions), refuses a
stale write (StaleProposalError: the item changed since it was read), records who and when,
leaves an audit record (the item's history) and notifies those concerned once, in their
language (reports.proposals.notices)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from core.errors import Stale
from units.models import Unit

from ..models import Proposal
from . import notices
from .permissions import proposal_step_check
from .split import split_points

State, AddresseeKind = Proposal.State, Proposal.AddresseeKind


class StaleProposalError(Stale):
    """The item changed since the editor read it; `current` is the item as it now stands."""

    def __init__(self, current: Proposal):
        super().__init__(current, _("This item was changed by someone else since you opened "
                                    "it. Its current version is shown; nothing of yours was "
                                    "saved."))


def proposals_create_for_report(*, report, actor) -> list[Proposal]:
    """The items of an approved report: one per point (line) of its difficulties and of its
    proposals, received when the report was approved and addressed to no one yet (the raising
    unit or the secretariat addresses them). A report that has items already (approved again
    after a correction) gets none more. Called by progress_report_approve, in its transaction."""
    if Proposal.objects.filter(report=report).exists():
        return []
    created = []
    for kind, text in ((Proposal.Kind.DIFFICULTY, report.difficulties),
                       (Proposal.Kind.PROPOSAL, report.proposals)):
        for position, point in enumerate(split_points(text), start=1):
            item = Proposal(report=report, kind=kind, position=position, text=point,
                            received_at=report.decided_at or timezone.now())
            audited(item, actor, _("Received from an approved report")).save()
            created.append(item)
    if created:
        notices.notify_received(created, actor)
    return created


def _lock(item: Proposal, actor, step: str, expected_version: int | None) -> Proposal:
    locked = (Proposal.objects.select_for_update(of=("self",))
              .select_related("report__unit", "addressee_unit").get(pk=item.pk))
    proposal_step_check(step, actor, locked)
    if expected_version is not None and locked.version != expected_version:
        raise StaleProposalError(locked)
    return locked


def _save(item: Proposal, actor, reason: str) -> Proposal:
    item.version += 1  # the row is locked: a plain increment is safe
    audited(item, actor, reason).save()
    return item


@transaction.atomic
def proposal_address(*, item: Proposal, actor, addressee_kind: str, unit: Unit | None = None,
                     authority: str = "", authority_name: str = "",
                     expected_version: int | None = None) -> Proposal:
    """Say who must act on a received item: a unit of the system, or an authority (one of the
    choices, and its name when it is a ministry or another authority)."""
    item = _lock(item, actor, "address", expected_version)
    authority_name = authority_name.strip()
    if addressee_kind == AddresseeKind.UNIT:
        if unit is None or unit.is_collective:
            raise ValidationError({"unit": _("Choose the unit that must act.")})
        authority, authority_name = "", ""
    elif addressee_kind == AddresseeKind.AUTHORITY:
        if authority not in Proposal.Authority.values:
            raise ValidationError({"authority": _("Choose the authority that must act.")})
        if authority in (Proposal.Authority.MINISTRY, Proposal.Authority.OTHER) and (
                not authority_name):
            raise ValidationError({"authority_name": _("Give the authority's name.")})
        unit = None
    else:
        raise ValidationError({"addressee_kind": _("Choose a unit or an authority.")})
    item.addressee_kind, item.addressee_unit = addressee_kind, unit
    item.authority, item.authority_name = authority, authority_name
    _save(item, actor, _("Addressed to %(name)s") % {"name": item.addressee_label})
    notices.notify_addressed(item, actor)
    return item


@transaction.atomic
def proposal_split(*, item: Proposal, actor, texts: list[str],
                   expected_version: int | None = None) -> list[Proposal]:
    """Split a received item into several: the item keeps the first text, each other text
    becomes a new item with the same addressee, placed right after it."""
    item = _lock(item, actor, "split", expected_version)
    texts = [text.strip() for text in texts if text.strip()]
    if len(texts) < 2:
        raise ValidationError({"texts": _("Give at least two parts, one a line.")})
    later = Proposal.objects.filter(report=item.report, kind=item.kind,
                                    position__gt=item.position)
    for following in later.order_by("-position"):
        following.position += len(texts) - 1
        audited(following, actor, _("Renumbered after a split")).save(update_fields=[
            "position", "updated_at"])
    item.text = texts[0]
    _save(item, actor, _("Split into %(count)d items") % {"count": len(texts)})
    parts = [item]
    for offset, text in enumerate(texts[1:], start=1):
        part = Proposal(report=item.report, kind=item.kind, position=item.position + offset,
                        text=text, received_at=item.received_at,
                        addressee_kind=item.addressee_kind, addressee_unit=item.addressee_unit,
                        authority=item.authority, authority_name=item.authority_name)
        audited(part, actor, _("Split from item %(id)s") % {"id": item.pk}).save()
        parts.append(part)
    return parts


@transaction.atomic
def proposal_take_up(*, item: Proposal, actor, expected_version: int | None = None,
                     note: str = "") -> Proposal:
    """The addressee starts handling a received item."""
    item = _lock(item, actor, "handle", expected_version)
    item.state, item.note = State.HANDLING, note.strip() or item.note
    _save(item, actor, _("Being handled"))
    notices.notify_step(item, actor, "handling")
    return item


@transaction.atomic
def proposal_answer(*, item: Proposal, actor, answer: str, document_number: str = "",
                    document_date: date | None = None, link: str = "", file=None,
                    expected_version: int | None = None) -> Proposal:
    """Answer an item (the addressee, or the secretariat for an authority): the answer text and,
    when there is one, the answering document (number, date, optional link or file)."""
    item = _lock(item, actor, "answer", expected_version)
    errors = {}
    if not answer.strip():
        errors["answer"] = _("Write the answer.")
    if document_number.strip() and not document_date:
        errors["document_date"] = _("Give the date of the answering document.")
    if (link.strip() or file) and not document_number.strip():
        errors["document_number"] = _("Give the number of the answering document.")
    if errors:
        raise ValidationError(errors)
    item.state, item.answer = State.ANSWERED, answer.strip()
    item.answer_document_number = document_number.strip()
    item.answer_document_date, item.answer_link = document_date, link.strip()
    if file is not None:
        item.answer_file = file
    item.answered_by, item.answered_at = actor, timezone.now()
    _save(item, actor, _("Answered"))
    notices.notify_step(item, actor, "answered")
    return item


@transaction.atomic
def proposal_close(*, item: Proposal, actor, note: str = "",
                   expected_version: int | None = None) -> Proposal:
    """The secretariat closes an item (answered; or one that needs no answer, with a note)."""
    item = _lock(item, actor, "close", expected_version)
    if item.state != State.ANSWERED and not note.strip():
        raise ValidationError({"note": _("Say why an item without an answer is closed.")})
    item.state, item.closed_by, item.closed_at = State.CLOSED, actor, timezone.now()
    item.note = note.strip() or item.note
    _save(item, actor, _("Closed: %(note)s") % {"note": note.strip()} if note.strip()
          else _("Closed"))
    notices.notify_step(item, actor, "closed")
    return item


@transaction.atomic
def proposal_reopen(*, item: Proposal, actor, reason: str,
                    expected_version: int | None = None) -> Proposal:
    """The secretariat sends an answered or closed item back to be handled again, saying why
    (the answer did not settle it)."""
    item = _lock(item, actor, "reopen", expected_version)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    item.state, item.note = State.HANDLING, reason.strip()
    item.closed_by = item.closed_at = None
    item.answered_at = None
    _save(item, actor, _("Reopened: %(reason)s") % {"reason": reason.strip()})
    notices.notify_step(item, actor, "reopened")
    return item
