"""An import checked and written by a real Celery worker through Redis (not eager mode), its
progress recorded where the page polling it reads it."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import FileJob
from tasks.exchange.runs import import_start
from tasks.jobs import apply_task_import, check_task_import
from tasks.models import Resolution, Task
from tasks.reference import reference_load
from tests.celery_worker import ROOT, Worker, send
from tests.factories import UserFactory
from units.models import User

from .appendix import appendix_workbook

QUEUE = f"test-import-{os.getpid()}"


@pytest.fixture
def worker(transactional_db, settings):
    # The uploaded file must be where the worker process (plain test settings) looks for it.
    settings.MEDIA_ROOT = ROOT / "var" / "test-media"
    worker = Worker(QUEUE)
    yield worker
    worker.stop()
    for job in FileJob.objects.all():
        job.source.delete(save=False)


def wait_for_state(worker, job, state, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state == state:
            return job
        assert worker.process.poll() is None, "".join(worker.log)
        assert job.state != FileJob.State.FAILED, job.error
        time.sleep(0.2)
    raise AssertionError(f"job still {job.state}: {''.join(worker.log)}")


def test_a_worker_checks_then_writes_an_import(worker):
    reference_load()
    resolution = Resolution.objects.get(number="282/NQ-CP")
    user = UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)
    job, _small = import_start(
        user=user, resolution=resolution, number_within_group=True, language="vi",
        uploaded=SimpleUploadedFile("phu-luc.xlsx", appendix_workbook()))

    send(check_task_import, queue_name=QUEUE, job_id=job.pk)
    job = wait_for_state(worker, job, FileJob.State.CHECKED)
    assert job.progress == 100 and job.report["counts"]["create"] == 9
    assert not Task.objects.exists()

    FileJob.objects.filter(pk=job.pk).update(state=FileJob.State.APPLYING, progress=0)
    send(apply_task_import, queue_name=QUEUE, job_id=job.pk)
    job = wait_for_state(worker, job, FileJob.State.DONE)
    assert job.report["outcome"]["create"] == 9
    assert Task.objects.filter(resolution=resolution).count() == 9
    assert Task.objects.get(code="1.1").history.earliest().history_user == user
    # Delivered again, the job does nothing twice.
    send(apply_task_import, queue_name=QUEUE, job_id=job.pk)
    assert worker.wait_for("tasks.apply_task_import", timeout=30)
    time.sleep(1)
    assert Task.objects.count() == 9
