"""The one job run through a real Celery worker and the Redis broker (not eager mode)."""

import os
import time

import pytest

from reports.jobs import open_current_period
from reports.models import ReportingPeriod
from tests.celery_worker import Worker, send

QUEUE = f"test-period-{os.getpid()}"


@pytest.fixture
def worker(transactional_db):
    worker = Worker(QUEUE)
    yield worker
    worker.stop()


def test_a_real_worker_opens_the_current_period(worker):
    assert not ReportingPeriod.objects.exists()
    send(open_current_period, queue_name=QUEUE)

    deadline = time.monotonic() + 30
    while not ReportingPeriod.objects.exists() and time.monotonic() < deadline:
        assert worker.process.poll() is None, "".join(worker.log)
        time.sleep(0.2)
    period = ReportingPeriod.objects.get()
    assert period.starts_on <= period.ends_on <= period.submission_deadline
