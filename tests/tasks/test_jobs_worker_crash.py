"""A worker killed in the middle of a job: a restarted worker finishes it, and nobody is notified
twice (acks late + the idempotency keys stored with each notification)."""

import os
import time
from datetime import date, timedelta

from django.db.models import Count

from tasks.deadlines import DeadlineKind
from tasks.jobs import flag_overdue
from tasks.models import Task
from tests.celery_worker import Worker, send
from tests.factories import TaskGroupFactory, UnitFactory, UserFactory
from units.models import Notification, User

QUEUE = f"test-crash-{os.getpid()}"
TASKS = 1500


def _many_overdue_tasks(lead):
    group = TaskGroupFactory()
    Task.objects.bulk_create(
        Task(group=group, resolution_id=group.resolution_id, code=f"9.{n}", sort_key=f"{n:06d}",
             title=f"Nhiệm vụ số {n}", lead_unit=lead, deadline_kind=DeadlineKind.DAY,
             deadline=date(2025, 10, 1) + timedelta(days=n % 20),
             original_deadline_kind=DeadlineKind.DAY, original_deadline=date(2025, 10, 1))
        for n in range(TASKS)
    )


def test_a_job_killed_mid_run_is_finished_by_a_restarted_worker_without_duplicates(
        transactional_db):
    lead = UnitFactory(code="BYT-CRASH")
    UserFactory(username="crash-reporter", role=User.Role.REPORTER, unit=lead)
    UserFactory(username="crash-leader", role=User.Role.LEADER, unit=lead)
    _many_overdue_tasks(lead)
    env = {"CELERY_VISIBILITY_TIMEOUT": "3", "CELERY_RESTORE_CHECK_SECONDS": "1"}

    first = Worker(QUEUE, **env)
    try:
        assert first.wait_for("ready", timeout=30), "".join(first.log)
        send(flag_overdue, queue_name=QUEUE, on="2025-11-15")
        assert first.wait_for('"event": "started"', timeout=30), "".join(first.log)
        time.sleep(0.5)
        first.kill()
        assert not first.wait_for('"event": "finished"', timeout=0.5)
    finally:
        first.stop()
    done_before_restart = Notification.objects.count()
    assert done_before_restart < 2 * TASKS  # it really died before the end

    second = Worker(QUEUE, **env)
    try:
        # The unacknowledged job comes back after the visibility timeout and runs again.
        assert second.wait_for('"event": "finished"', timeout=90), "".join(second.log)
    finally:
        second.stop()

    assert Notification.objects.filter(kind=Notification.Kind.OVERDUE).count() == 2 * TASKS
    assert not (Notification.objects.values("recipient", "key").annotate(n=Count("id"))
                .filter(n__gt=1).exists())
    assert not Task.objects.filter(lead_unit=lead, overdue_since__isnull=True).exists()
