"""Which events become deliveries: each kind at its source, once per event, and only for
subscriptions whose owner may read what the event is about."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from reports.models import ProgressReport
from reports.services import (
    progress_report_approve,
    progress_report_return,
    progress_report_save_draft,
    progress_report_submit,
)
from tasks.jobs import emit_status_changes
from tasks.services import task_change_deadline
from tests.factories import ReportingPeriodFactory, TaskFactory, UserFactory
from units.models import User
from webhooks.models import WebhookDelivery
from webhooks.services import webhook_subscription_create

FIELDS = {"percent_complete": 40, "progress_status": ProgressReport.ProgressStatus.ON_TRACK,
          "results": "Đã dự thảo."}


@pytest.fixture(autouse=True)
def _no_sending(monkeypatch):
    """Here only what is stored counts: no delivery job runs."""
    monkeypatch.setattr("webhooks.outbox.queue_after_commit", lambda *args, **kwargs: None)


def _subscribe(administrator, events, owner=None, name="Hệ thống"):
    return webhook_subscription_create(actor=administrator, name=name, events=events,
                                       url="http://127.0.0.1:9/", owner=owner)


def _bodies(subscription) -> list[dict]:
    return [json.loads(row.body) for row in
            WebhookDelivery.objects.filter(subscription=subscription).order_by("id")]


def test_each_step_of_a_report_is_an_event_for_whom_may_read_it(
        administrator, reporter, leader, department, other_unit):
    every = ["report.submitted", "report.approved", "report.returned"]
    mine = _subscribe(administrator, every, owner=UserFactory(unit=department), name="Của vụ")
    others = _subscribe(administrator, every, owner=UserFactory(unit=other_unit), name="Khác")
    task = TaskFactory(lead_unit=department)
    period = ReportingPeriodFactory(year=2025, month=11)
    report = progress_report_save_draft(actor=reporter, task=task, unit=department,
                                        period=period, **FIELDS)
    progress_report_submit(report=report, actor=reporter)
    progress_report_return(report=report, actor=leader, comment="GÓP-Ý-NỘI-BỘ")
    progress_report_submit(report=report, actor=reporter)
    progress_report_approve(report=report, actor=leader)
    events = [body["event"] for body in _bodies(mine)]
    assert events == ["report.submitted", "report.returned", "report.submitted",
                      "report.approved"]
    assert all("GÓP-Ý-NỘI-BỘ" not in row.body for row in WebhookDelivery.objects.all())
    assert _bodies(others) == []  # the other unit's account may not read that report


def test_a_deadline_change_is_an_event(administrator, secretariat, department):
    subscription = _subscribe(administrator, ["task.deadline_changed"])
    task = TaskFactory(lead_unit=department, deadline=date(2025, 12, 31))
    task_change_deadline(task=task, actor=secretariat, deadline_text="Quý I/2026",
                         decision_number="45/QĐ-TTg", decision_date=date(2025, 11, 20),
                         decision_authority="prime_minister")
    (body,) = _bodies(subscription)
    assert body["event"] == "task.deadline_changed"
    assert body["data"]["task"]["id"] == task.pk
    assert body["data"]["deadline"]["from"]["due"] == "2025-12-31"
    assert body["data"]["deadline"]["to"]["due"] == "2026-03-31"
    assert body["data"]["decision"]["number"] == "45/QĐ-TTg"


def test_a_status_class_changed_overnight_is_an_event_once(administrator, department):
    subscription = _subscribe(administrator, ["task.status_changed"])
    today = timezone.localdate()
    falling = TaskFactory(lead_unit=department, deadline=today - timedelta(days=1))
    TaskFactory(lead_unit=department, deadline=today + timedelta(days=30))  # unchanged
    assert emit_status_changes(on=today.isoformat()) == {"changed": 1}
    emit_status_changes(on=today.isoformat())  # run twice: nothing new
    (body,) = _bodies(subscription)
    assert body["data"]["task"]["id"] == falling.pk
    assert body["data"]["status"] == {"from": "in_progress", "to": "overdue"}
    assert body["key"] == f"task.status_changed:{falling.pk}:{today.isoformat()}"


def test_an_issued_monthly_report_is_an_event_for_leadership_not_for_a_unit(
        administrator, secretariat, department, monkeypatch):
    monkeypatch.setattr("reports.monthly._render", lambda **kwargs: b"%PDF-1.7 test")
    from reports.monthly import monthly_report_issue

    leadership = _subscribe(administrator, ["monthly_report.issued"],
                            owner=UserFactory(role=User.Role.LEADERSHIP, unit=None))
    unit = _subscribe(administrator, ["monthly_report.issued"],
                      owner=UserFactory(unit=department), name="Vụ")
    TaskFactory(lead_unit=department)
    issued = monthly_report_issue(period=ReportingPeriodFactory(year=2025, month=11),
                                  actor=secretariat, number="15/BC-BYT")
    (body,) = _bodies(leadership)
    assert body["data"]["monthly_report"] == {
        "id": issued.pk, "period": "2025-11", "version": 1, "number": "15/BC-BYT",
        "issued_on": issued.issued_on.isoformat(), "sha256": issued.sha256,
        "sha256_en": issued.sha256_en}
    assert _bodies(unit) == []


def test_a_subscription_switched_off_or_to_other_events_gets_nothing(
        administrator, reporter, department):
    from webhooks.services import webhook_subscription_update

    off = _subscribe(administrator, ["report.submitted"])
    webhook_subscription_update(subscription=off, actor=administrator, is_active=False)
    elsewhere = _subscribe(administrator, ["report.approved"], name="Khác")
    report = progress_report_save_draft(actor=reporter, task=TaskFactory(lead_unit=department),
                                        unit=department,
                                        period=ReportingPeriodFactory(year=2025, month=11),
                                        **FIELDS)
    progress_report_submit(report=report, actor=reporter)
    assert _bodies(off) == [] and _bodies(elsewhere) == []


def test_only_administrators_subscribe_and_only_to_known_events(administrator, secretariat):
    from django.core.exceptions import ValidationError

    from core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        _subscribe(secretariat, ["report.submitted"])
    with pytest.raises(ValidationError):
        _subscribe(administrator, ["report.deleted"])
    with pytest.raises(ValidationError):
        _subscribe(administrator, [])
