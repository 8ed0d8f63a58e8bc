"""Asking, answering, escalating, closing and withdrawing, each refused to whom it must be;
every step audited, notified once in the recipient's language, and the two events emitted."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from accountability.jobs import escalate_unanswered
from accountability.models import ExplanationRequest
from accountability.services import (
    StaleExplanationError,
    explanation_request_answer,
    explanation_request_close,
    explanation_request_create,
    explanation_request_withdraw,
)
from core.errors import NotAllowed, WrongState
from core.events import event_handler_register
from indicators.models import Indicator, IndicatorTarget
from tests.factories import ReportingPeriodFactory, TaskFactory, UnitFactory, UserFactory
from units.models import Notification, User

from .conftest import MESSAGE, ask

pytestmark = pytest.mark.django_db
State = ExplanationRequest.State


def answer(explanation, actor, **kwargs):
    return explanation_request_answer(
        explanation=explanation, actor=actor, reason="Chậm nhận ý kiến góp ý của các bộ.",
        remedy="Họp tiếp thu ý kiến, hoàn thiện dự thảo.",
        expected_on=timezone.localdate() + timedelta(days=30), **kwargs)


def notes(user):
    return list(Notification.objects.filter(recipient=user, kind="explanation"))


@override_settings(EXPLANATION_REPLY_DAYS=7)
def test_leadership_asks_the_lead_unit_and_its_leaders_hear_in_their_language(
        overdue_task, leadership, leader, reporter):
    leader.language = "en"
    leader.save()
    explanation = ask(overdue_task, leadership)
    assert explanation.state == State.OPEN and explanation.unit == overdue_task.lead_unit
    assert explanation.reply_by == timezone.localdate() + timedelta(days=7)
    [note] = notes(leader)
    assert note.subject.startswith("Explanation requested: task 2.3")
    assert "by " + explanation.reply_by.strftime("%d/%m/%Y") in note.body
    assert notes(reporter) == []  # the answer is the leader's to give
    assert explanation.history.get().history_change_reason == "Yêu cầu giải trình"


@pytest.mark.parametrize("role", ["secretariat", "admin"])
def test_the_secretariat_and_administrators_ask_too(overdue_task, role, unit):
    actor = UserFactory(username=role, role=role, unit=unit if role == "secretariat" else None)
    assert ask(overdue_task, actor).requested_by == actor


@pytest.mark.parametrize("who", ["reporter", "leader", "other_reporter"])
def test_a_unit_may_not_ask(overdue_task, who, request):
    with pytest.raises(NotAllowed):
        ask(overdue_task, request.getfixturevalue(who))
    assert not ExplanationRequest.objects.exists()


def test_a_task_not_overdue_is_not_asked_about_nor_the_same_one_twice(department, leadership):
    on_time = TaskFactory(lead_unit=department,
                          deadline=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationError, match="không quá hạn"):
        ask(on_time, leadership)
    late = TaskFactory(lead_unit=department, deadline=timezone.localdate() - timedelta(days=1))
    ask(late, leadership)
    with pytest.raises(ValidationError, match="chưa trả lời"):
        ask(late, leadership)


def test_a_reply_date_in_the_past_and_an_empty_message_are_refused(overdue_task, leadership):
    with pytest.raises(ValidationError) as refused:
        explanation_request_create(actor=leadership, kind="overdue_task", task=overdue_task,
                                   message="  ", reply_by=timezone.localdate() - timedelta(1))
    assert set(refused.value.message_dict) == {"message", "reply_by"}


def test_a_missing_report_is_asked_of_the_unit_that_owes_it(overdue_task, leadership, department):
    period = ReportingPeriodFactory(year=2025, month=11)  # its reports were due long ago
    explanation = explanation_request_create(
        actor=leadership, kind="missing_report", task=overdue_task, period=period,
        unit=department, message=MESSAGE)
    assert explanation.period == period
    stranger = UnitFactory()
    with pytest.raises(ValidationError, match="không chủ trì"):
        explanation_request_create(actor=leadership, kind="missing_report", task=overdue_task,
                                   period=period, unit=stranger, message=MESSAGE)


def test_an_indicator_off_track_is_asked_of_its_responsible_unit(leadership, department):
    from tests.factories import ResolutionFactory
    from tests.indicators.conftest import approved_value

    indicator = Indicator.objects.create(
        resolution=ResolutionFactory(number="72-NQ/TW"), code="9", name="Tỷ lệ tiêm chủng",
        measure="%", direction="higher", frequency="yearly", baseline_value=50,
        baseline_year=2020, responsible_unit=department)
    IndicatorTarget.objects.create(indicator=indicator, year=2030, value=100)
    approved_value(indicator, timezone.localdate().replace(month=1, day=1) - timedelta(1), 50)
    explanation = explanation_request_create(actor=leadership, kind="indicator_off_track",
                                             indicator=indicator, message=MESSAGE)
    assert explanation.unit == department and explanation.task is None


def test_the_units_leader_answers_and_the_requester_hears_once(asked, leader, leadership):
    explanation = answer(asked, leader, expected_version=asked.version)
    assert explanation.state == State.ANSWERED and explanation.answered_by == leader
    [note] = notes(leadership)
    assert "Chậm nhận ý kiến góp ý" in note.body
    assert explanation.history.first().history_change_reason == "Đã trả lời"


@pytest.mark.parametrize("who", ["reporter", "other_leader", "leadership"])
def test_only_a_leader_of_the_unit_asked_answers(asked, who, request):
    with pytest.raises(NotAllowed):
        answer(asked, request.getfixturevalue(who))
    asked.refresh_from_db()
    assert asked.state == State.OPEN


def test_a_leader_of_the_unit_above_answers(asked, unit):
    above = UserFactory(username="minister-office", role=User.Role.LEADER, unit=unit)
    assert answer(asked, above).state == State.ANSWERED


def test_an_answer_needs_its_reason_remedy_and_date(asked, leader):
    with pytest.raises(ValidationError) as refused:
        explanation_request_answer(explanation=asked, actor=leader, reason="", remedy=" ",
                                   expected_on=None)
    assert set(refused.value.message_dict) == {"reason", "remedy", "expected_on"}


def test_a_stale_answer_writes_nothing(asked, leader):
    with pytest.raises(StaleExplanationError):
        answer(asked, leader, expected_version=asked.version + 1)
    asked.refresh_from_db()
    assert asked.state == State.OPEN


def test_the_requester_closes_an_answered_request_and_only_then(asked, leader, leadership,
                                                                reporter):
    with pytest.raises(WrongState):
        explanation_request_close(explanation=asked, actor=leadership)
    answer(asked, leader)
    with pytest.raises(NotAllowed):
        explanation_request_close(explanation=asked, actor=leader)
    other = UserFactory(username="leadership2", role=User.Role.LEADERSHIP, unit=None)
    with pytest.raises(NotAllowed):
        explanation_request_close(explanation=asked, actor=other)
    closed = explanation_request_close(explanation=asked, actor=leadership, note="Đồng ý.")
    assert closed.state == State.CLOSED and closed.ended_by == leadership
    assert len(notes(leader)) == 2  # asked, then closed
    with pytest.raises(WrongState):
        answer(closed, leader)


def test_the_requester_or_the_secretariat_withdraws_before_an_answer(asked, leader, secretariat):
    with pytest.raises(NotAllowed):
        explanation_request_withdraw(explanation=asked, actor=leader)
    withdrawn = explanation_request_withdraw(explanation=asked, actor=secretariat,
                                             note="Nhiệm vụ đã được điều chỉnh thời hạn.")
    assert withdrawn.state == State.WITHDRAWN
    with pytest.raises(WrongState):
        explanation_request_withdraw(explanation=withdrawn, actor=secretariat)


def test_escalation_runs_twice_and_tells_the_requester_and_leaders_once(asked, leader,
                                                                         leadership):
    late = (asked.reply_by + timedelta(days=1)).isoformat()
    assert escalate_unanswered(on=asked.reply_by.isoformat()) == {"escalated": 0}
    assert escalate_unanswered(on=late) == {"escalated": 1}
    assert escalate_unanswered(on=late) == {"escalated": 0}
    asked.refresh_from_db()
    assert asked.state == State.ESCALATED and asked.escalated_at is not None
    escalated = Notification.objects.filter(key=f"explanation-escalated:{asked.pk}")
    assert sorted(n.recipient.username for n in escalated) == ["leader", "leadership"]
    # Escalated, it is still answered as before.
    assert answer(asked, leader, expected_version=asked.version).state == State.ANSWERED


def test_asking_and_answering_emit_their_events(overdue_task, leadership, leader):
    seen = []

    def handler(**event):
        seen.append((event["kind"], event["key"]))

    event_handler_register(handler)
    try:
        explanation = ask(overdue_task, leadership)
        answer(explanation, leader)
    finally:
        from core import events

        events._handlers.remove(handler)
    assert [kind for kind, _key in seen] == ["explanation.requested", "explanation.answered"]
