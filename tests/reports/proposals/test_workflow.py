"""The register's items through the services: created when a report is approved (one per line),
split, addressed, taken up, answered, closed and reopened, each step by whom it may be and
refused to others, stale steps refused, every step audited and notified once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import NotAllowed, WrongState
from reports.models import Proposal
from reports.proposals.selectors import proposal_inbox, with_overdue
from reports.proposals.services import (
    StaleProposalError,
    proposal_address,
    proposal_answer,
    proposal_close,
    proposal_reopen,
    proposal_split,
    proposal_take_up,
)
from reports.proposals.split import split_points
from reports.services import progress_report_reopen, progress_report_submit
from tests.factories import UserFactory
from units.models import Notification, User

from .conftest import approve

State = Proposal.State


def _items(report):
    return list(Proposal.objects.filter(report=report).order_by("kind", "position"))


def test_split_points_take_one_item_a_line_without_its_marker():
    assert split_points("- Một.\n\n+ Hai.\n3) Ba.\n a. Bốn\nNăm") == [
        "Một.", "Hai.", "Ba.", "Bốn", "Năm"]
    assert split_points("  \n") == []


def test_approving_a_report_makes_an_item_of_each_line(approved, secretariat):
    items = _items(approved)
    assert [(i.kind, i.position, i.text) for i in items] == [
        ("difficulty", 1, "Thiếu kinh phí triển khai."),
        ("proposal", 1, "Đề nghị Bộ Nội vụ hướng dẫn biên chế."),
        ("proposal", 2, "Đề nghị Chính phủ bổ sung kinh phí.")]
    assert all(i.state == State.RECEIVED and i.addressee_kind == "" for i in items)
    assert all(i.received_at == approved.decided_at for i in items)
    assert items[0].history.get().history_change_reason == "Received from an approved report"
    # The secretariat is told once, for the report, to route them.
    assert Notification.objects.filter(recipient=secretariat, kind="proposal").count() == 1
    assert set(proposal_inbox(user=secretariat)) == set(items)


def test_a_report_approved_again_after_a_correction_gets_no_second_set(
        approved, reporter, leader, secretariat):
    progress_report_reopen(report=approved, actor=secretariat, reason="Sửa số liệu")
    approved.refresh_from_db()
    progress_report_submit(report=approved, actor=reporter)
    from reports.services import progress_report_approve

    progress_report_approve(report=approved, actor=leader)
    assert Proposal.objects.filter(report=approved).count() == 3


def test_a_report_without_difficulties_makes_no_item(task, period, reporter, leader):
    assert not _items(approve(task, period, reporter, leader))


def test_the_raising_unit_splits_an_item_and_another_unit_may_not(
        approved, reporter, other_reporter):
    difficulty = _items(approved)[0]
    with pytest.raises(NotAllowed):
        proposal_split(item=difficulty, actor=other_reporter, texts=["a", "b"])
    with pytest.raises(ValidationError):
        proposal_split(item=difficulty, actor=reporter, texts=["only one"])
    parts = proposal_split(item=difficulty, actor=reporter,
                           texts=["Thiếu kinh phí.", "Thiếu nhân lực."], expected_version=1)
    assert [(p.position, p.text) for p in parts] == [(1, "Thiếu kinh phí."),
                                                     (2, "Thiếu nhân lực.")]
    assert parts[0].version == 2


def test_a_unit_addressed_item_is_handled_and_answered_by_that_unit_only(
        approved, reporter, other_reporter, other_leader, secretariat):
    item = _items(approved)[1]
    with pytest.raises(NotAllowed):  # the addressee-to-be may not address it
        proposal_address(item=item, actor=other_reporter, addressee_kind="unit",
                         unit=other_reporter.unit)
    item = proposal_address(item=item, actor=reporter, addressee_kind="unit",
                            unit=other_reporter.unit, expected_version=1)
    assert item.addressee_label == "Bộ Nội vụ"
    # Told in their own language (Vietnamese), once.
    notice = Notification.objects.get(recipient=other_leader, key__startswith="proposal-addr")
    assert notice.subject.startswith("Có kiến nghị gửi đến đơn vị")
    assert item in proposal_inbox(user=other_leader)
    assert item not in proposal_inbox(user=secretariat)
    for refused in (reporter, secretariat):  # the raising unit, the secretariat: not theirs
        with pytest.raises(NotAllowed):
            proposal_take_up(item=item, actor=refused)
        with pytest.raises(NotAllowed):
            proposal_answer(item=item, actor=refused, answer="Đã trả lời")
    item = proposal_take_up(item=item, actor=other_reporter, expected_version=2)
    assert item.state == State.HANDLING
    with pytest.raises(WrongState):
        proposal_take_up(item=item, actor=other_reporter)
    with pytest.raises(ValidationError) as missing:
        proposal_answer(item=item, actor=other_leader, answer=" ", document_number="12/BNV")
    assert set(missing.value.message_dict) == {"answer", "document_date"}
    item = proposal_answer(item=item, actor=other_leader, answer="Đã có văn bản hướng dẫn.",
                           document_number="12/BNV-TCBC", document_date=timezone.localdate(),
                           link="https://example.org/12", expected_version=3)
    assert (item.state, item.answered_by) == (State.ANSWERED, other_leader)
    assert Notification.objects.filter(recipient=reporter, key__startswith="proposal-answered"
                                       ).count() == 1
    with pytest.raises(NotAllowed):  # only the secretariat closes
        proposal_close(item=item, actor=other_leader)
    item = proposal_close(item=item, actor=secretariat, expected_version=4)
    assert item.state == State.CLOSED
    assert [h.history_change_reason for h in item.history.order_by("history_date")] == [
        "Received from an approved report", "Addressed to Bộ Nội vụ", "Being handled",
        "Answered", "Closed"]


def test_an_authority_addressed_item_is_answered_by_the_secretariat(
        approved, reporter, other_leader, secretariat, leadership):
    item = _items(approved)[2]
    with pytest.raises(ValidationError):
        proposal_address(item=item, actor=secretariat, addressee_kind="authority",
                         authority="ministry")  # a ministry needs its name
    item = proposal_address(item=item, actor=secretariat, addressee_kind="authority",
                            authority="government")
    assert item.addressee_label == "The Government"
    for refused in (reporter, other_leader, leadership):
        with pytest.raises(NotAllowed):
            proposal_answer(item=item, actor=refused, answer="x")
    item = proposal_answer(item=item, actor=secretariat, answer="Chính phủ đã bổ sung.")
    with pytest.raises(NotAllowed):
        proposal_reopen(item=item, actor=reporter, reason="Chưa đủ")
    with pytest.raises(ValidationError):
        proposal_reopen(item=item, actor=secretariat, reason="")
    item = proposal_reopen(item=item, actor=secretariat, reason="Chưa đủ")
    assert item.state == State.HANDLING
    with pytest.raises(ValidationError):  # closing an unanswered item needs a note
        proposal_close(item=item, actor=secretariat)
    assert proposal_close(item=item, actor=secretariat, note="Trùng").state == State.CLOSED


def test_a_stale_step_is_refused_and_changes_nothing(approved, reporter, secretariat):
    item = _items(approved)[0]
    proposal_address(item=item, actor=secretariat, addressee_kind="authority",
                     authority="prime_minister")
    with pytest.raises(StaleProposalError) as stale:
        proposal_answer(item=item, actor=secretariat, answer="x", expected_version=1)
    assert stale.value.current.version == 2
    item.refresh_from_db()
    assert (item.state, item.answer) == (State.RECEIVED, "")


def test_an_open_item_is_overdue_after_the_days_set(approved, settings, secretariat):
    settings.PROPOSAL_ANSWER_DAYS = 30
    item = _items(approved)[0]
    assert not with_overdue(Proposal.objects.filter(pk=item.pk)).get().is_overdue
    Proposal.objects.filter(pk=item.pk).update(received_at=timezone.now() - timedelta(days=31))
    assert with_overdue(Proposal.objects.filter(pk=item.pk)).get().is_overdue
    settings.PROPOSAL_ANSWER_DAYS = 40
    assert not with_overdue(Proposal.objects.filter(pk=item.pk)).get().is_overdue


def test_a_step_notifies_each_recipient_once(approved, reporter, secretariat):
    item = _items(approved)[0]
    UserFactory(username="secretariat2", role=User.Role.SECRETARIAT, unit=None)
    proposal_address(item=item, actor=reporter, addressee_kind="authority", authority="other",
                     authority_name="Ủy ban Quốc gia")
    keys = Notification.objects.filter(key__startswith="proposal-addressed").values_list(
        "recipient__username", flat=True)
    assert sorted(keys) == ["secretariat", "secretariat2"]
