"""Webhooks through a real Celery worker and the Redis broker (not eager mode): the event's job
queued after commit, a failure retried on its backoff by the worker, and deliveries queued while
no worker runs delivered once one starts."""

import os
import time

import pytest

from config.celery_app import app
from reports.models import ProgressReport
from reports.services import progress_report_save_draft, progress_report_submit
from tests.celery_worker import Worker
from tests.factories import ReportingPeriodFactory, TaskFactory
from webhooks.models import WebhookDelivery
from webhooks.services import webhook_subscription_create

QUEUE = f"test-webhooks-{os.getpid()}"
# The delivery jobs go to the default queue: on the test's own Redis database, only ours.
QUEUES = f"{QUEUE},celery"
FIELDS = {"percent_complete": 40, "progress_status": ProgressReport.ProgressStatus.ON_TRACK,
          "results": "Đã dự thảo."}


def _start():
    return Worker(QUEUES, WEBHOOK_BACKOFF_SECONDS="1")


@pytest.fixture
def worker(transactional_db):
    found = _start()
    yield found
    found.stop()


def _submit(reporter, department):
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # queued through the real broker, after commit
    try:
        report = progress_report_save_draft(actor=reporter, task=TaskFactory(lead_unit=department),
                                            unit=department,
                                            period=ReportingPeriodFactory(year=2025, month=11),
                                            **FIELDS)
        progress_report_submit(report=report, actor=reporter)
    finally:
        app.conf.task_always_eager = eager
    return report


def _wait_delivered(worker, count: int, timeout: float = 60) -> list[WebhookDelivery]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = list(WebhookDelivery.objects.filter(state="delivered"))
        if len(done) >= count:
            return done
        assert worker is None or worker.process.poll() is None, "".join(worker.log)
        time.sleep(0.2)
    raise AssertionError(f"not delivered: {list(WebhookDelivery.objects.values())}")


def test_a_real_worker_delivers_retries_and_catches_up_after_being_away(
        worker, receiver, administrator, reporter, department):
    webhook_subscription_create(actor=administrator, name="Hệ thống", url=receiver.url,
                                events=["report.submitted"])
    receiver.answers = [500]
    _submit(reporter, department)
    (delivery,) = _wait_delivered(worker, 1)
    assert (delivery.attempts, delivery.response_code) == (2, 200)
    assert [request["status"] for request in receiver.received] == [500, 200]

    worker.stop()  # no worker for a while: the next event waits in the broker
    _submit(reporter, department)
    time.sleep(1)
    assert WebhookDelivery.objects.filter(state="pending").count() == 1
    again = _start()
    try:
        _wait_delivered(again, 2)
    finally:
        again.stop()
    assert len(receiver.accepted) == 2
    assert len({request["headers"]["X-PT-Delivery"] for request in receiver.accepted}) == 2
