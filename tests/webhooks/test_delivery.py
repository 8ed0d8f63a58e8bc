"""Webhooks delivered to a real HTTP receiver on loopback: signed, retried with backoff until
the receiver recovers (and delivered once), kept when the broker is down and delivered by the
beat's re-queue later, paused after failures in a row with the owner told."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery_app import app
from reports.models import ProgressReport
from reports.services import progress_report_save_draft, progress_report_submit
from tests.factories import ReportingPeriodFactory, TaskFactory
from units.models import Notification
from webhooks.jobs import requeue_due
from webhooks.models import WebhookDelivery
from webhooks.services import backoff, webhook_delivery_attempt, webhook_subscription_create
from webhooks.signing import signature_valid

FIELDS = {"percent_complete": 40, "progress_status": ProgressReport.ProgressStatus.ON_TRACK,
          "results": "KẾT-QUẢ-NỘI-BỘ", "difficulties": "KHÓ-KHĂN-NỘI-BỘ"}


@pytest.fixture
def subscription(administrator, receiver):
    return webhook_subscription_create(actor=administrator, name="Hệ thống báo cáo quốc gia",
                                       url=receiver.url, events=["report.submitted"])


def _submit(reporter, department, *, capture):
    task = TaskFactory(lead_unit=department)
    period = ReportingPeriodFactory(year=2025, month=11)
    with capture(execute=True):
        report = progress_report_save_draft(actor=reporter, task=task, unit=department,
                                            period=period, **FIELDS)
        progress_report_submit(report=report, actor=reporter)
    return report


def _make_due(delivery):
    # The backoff's wait, passed: as the clock would have it a while later.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5))


def test_a_submitted_report_is_delivered_signed_to_the_receiver(
        subscription, receiver, reporter, department, django_capture_on_commit_callbacks):
    report = _submit(reporter, department, capture=django_capture_on_commit_callbacks)
    assert len(receiver.accepted) == 1
    request = receiver.accepted[0]
    headers, body = request["headers"], request["body"]
    assert signature_valid(secret=subscription.secret, body=body,
                           header=headers["X-PT-Signature"])
    assert not signature_valid(secret="another-secret", body=body,
                               header=headers["X-PT-Signature"])
    assert not signature_valid(secret=subscription.secret, body=body + b" ",
                               header=headers["X-PT-Signature"])
    event = json.loads(body)
    assert event["event"] == headers["X-PT-Event"] == "report.submitted"
    assert event["data"]["report"]["id"] == report.pk
    assert event["data"]["report"]["state"] == "submitted"
    assert event["id"] == headers["X-PT-Delivery"]
    # Ids, states and dates only: no text a unit typed, no person's name.
    for private in ("KẾT-QUẢ-NỘI-BỘ", "KHÓ-KHĂN-NỘI-BỘ", reporter.full_name, reporter.username,
                    "Thứ trưởng phụ trách"):
        assert private not in body.decode()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None


def test_a_failing_receiver_gets_it_again_with_backoff_and_once_it_recovers(
        subscription, receiver, reporter, department, django_capture_on_commit_callbacks):
    receiver.answers = [500, 503]
    _submit(reporter, department, capture=django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    waited = delivery.next_attempt_at - delivery.last_attempt_at
    assert backoff(1) - timedelta(seconds=2) <= waited <= backoff(1)

    _make_due(delivery)
    assert webhook_delivery_attempt(delivery_id=delivery.pk).outcome == "retry"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_code) == (2, 503)
    assert delivery.next_attempt_at - delivery.last_attempt_at > backoff(1)  # doubled

    requeue_due()  # not due yet: nothing sent
    assert len(receiver.received) == 2
    _make_due(delivery)
    requeue_due()
    requeue_due()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)
    assert len(receiver.accepted) == 1
    assert len({request["headers"]["X-PT-Delivery"] for request in receiver.received}) == 1
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_nothing_is_lost_when_the_broker_is_down(
        subscription, receiver, reporter, department, django_capture_on_commit_callbacks):
    eager, broker = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, "redis://127.0.0.1:1/0"
    try:
        _submit(reporter, department, capture=django_capture_on_commit_callbacks)
        requeue_due(now=(timezone.now() + timedelta(minutes=5)).isoformat())  # still down
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, broker
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 0)

    # The broker is back: the beat's next run finds the delivery overdue and sends it.
    requeue_due(now=(timezone.now() + timedelta(minutes=5)).isoformat())
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and len(receiver.accepted) == 1


def test_a_receiver_failing_again_and_again_pauses_the_subscription_and_tells_its_owner(
        settings, subscription, receiver, reporter, department, administrator,
        django_capture_on_commit_callbacks):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "pause_after_failures": 3}
    receiver.answers = [500] * 10
    _submit(reporter, department, capture=django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    _make_due(delivery)
    assert webhook_delivery_attempt(delivery_id=delivery.pk).outcome == "retry"
    _make_due(delivery)
    assert webhook_delivery_attempt(delivery_id=delivery.pk).outcome == "paused"
    subscription.refresh_from_db()
    assert subscription.is_paused and subscription.consecutive_failures == 3
    notice = Notification.objects.get(recipient=administrator, kind="webhook_paused")
    assert subscription.name in notice.subject
    # Paused: nothing more is sent, and the delivery keeps waiting.
    _make_due(delivery)
    requeue_due()
    assert len(receiver.received) == 3
    delivery.refresh_from_db()
    assert delivery.state == "pending"

    receiver.answers = []
    from webhooks.outbox import webhook_subscription_resume

    with django_capture_on_commit_callbacks(execute=True):
        webhook_subscription_resume(subscription=subscription, actor=administrator)
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and len(receiver.accepted) == 1


def test_a_delivery_gives_up_after_the_last_attempt(
        settings, subscription, receiver, reporter, department,
        django_capture_on_commit_callbacks):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "max_attempts": 2}
    receiver.answers = [500] * 5
    _submit(reporter, department, capture=django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    _make_due(delivery)
    assert webhook_delivery_attempt(delivery_id=delivery.pk).outcome == "failed"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("failed", 2)


def test_an_unreachable_receiver_is_a_failure_with_its_reason(
        administrator, reporter, department, django_capture_on_commit_callbacks):
    webhook_subscription_create(actor=administrator, name="Không nghe", events=[
        "report.submitted"], url="http://127.0.0.1:1/nobody")
    _submit(reporter, department, capture=django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "pending" and delivery.response_code is None
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error
