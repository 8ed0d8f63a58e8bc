"""Background jobs of the shared machinery: looking after file jobs."""

from datetime import date, datetime, time, timedelta

from celery import shared_task
from django.utils import timezone

from .filejobs import file_jobs_end_abandoned, file_jobs_purge, file_jobs_requeue
from .joblog import logged_job

#: Uploaded and prepared files are kept this many days, then deleted with their job.
FILE_JOB_KEEP_DAYS = 7


@shared_task(name="core.sweep_file_jobs")
@logged_job("core.sweep_file_jobs")
def sweep_file_jobs() -> dict:
    """Look after the imports and exports left behind: queue again those still waiting for a
    worker (queued while the broker was down, or lost by it), and mark failed those whose worker
    died. Run every minute by beat; harmless when there are none."""
    return {"queued_again": file_jobs_requeue(), "abandoned": file_jobs_end_abandoned()}


@shared_task(name="core.purge_file_jobs", autoretry_for=(Exception,), retry_backoff=True,
             max_retries=3)
@logged_job("core.purge_file_jobs")
def purge_file_jobs(on: str | None = None) -> dict:
    """Delete imports and exports older than FILE_JOB_KEEP_DAYS, and their files. Safe to run
    twice."""
    now = (timezone.make_aware(datetime.combine(date.fromisoformat(on), time.min)) if on
           else timezone.now())
    return {"deleted": file_jobs_purge(before=now - timedelta(days=FILE_JOB_KEEP_DAYS))}
