"""The one job run through a real Celery worker and the Redis broker (not eager mode)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from config.celery_app import app
from reports.jobs import open_current_period
from reports.models import ReportingPeriod

ROOT = Path(__file__).resolve().parents[2]
QUEUE = f"test-{os.getpid()}"


@pytest.fixture
def worker(transactional_db):
    """A worker process on the test database, consuming a queue of its own on Redis."""
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", QUEUE, "-c", "1",
         "--pool", "solo", "-l", "warning", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    yield process
    process.send_signal(signal.SIGQUIT)  # cold shutdown: the test is over, nothing is running
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_a_real_worker_opens_the_current_period(worker):
    assert not ReportingPeriod.objects.exists()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        open_current_period.apply_async(queue=QUEUE)
    finally:
        app.conf.task_always_eager = eager

    deadline = time.monotonic() + 30
    while not ReportingPeriod.objects.exists() and time.monotonic() < deadline:
        assert worker.poll() is None, worker.stderr.read().decode()
        time.sleep(0.2)
    period = ReportingPeriod.objects.get()
    assert period.starts_on <= period.ends_on <= period.submission_deadline
