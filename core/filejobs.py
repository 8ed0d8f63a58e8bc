"""File jobs as every app runs them: queued once the transaction commits, taken up once by a
worker, queued again while the broker is away, ended when their worker died.

Each kind names, for each state it waits in, the job that takes it up (`waiting`, declared with
the kind by the app that owns it, e.g. tasks/kinds.py); the job receives the file job's id.
"""

import logging

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import FileJob
from .progress import ProgressRecorder
from .queueing import abandoned_before, queue_after_commit, requeue_before

logger = logging.getLogger(__name__)


def _waiting_states() -> list[tuple[str, str]]:
    return [(kind, state) for kind in FileJob.Kind.values
            for state in FileJob.Kind.attribute(kind, "waiting", {})]


def _job_for(job: FileJob):
    return import_string(FileJob.Kind.attribute(job.kind, "waiting")[job.state])


def file_job_start(*, kind: str, actor, language: str, params: dict) -> FileJob:
    """A new file job of `kind` for `actor` (who alone sees it; the row records who asked and
    when), queued for its background job once the transaction commits."""
    job = FileJob.objects.create(kind=kind, created_by=actor, language=language, params=params)
    file_job_queue(job)
    return job


def file_job_queue(job: FileJob) -> None:
    """Queue the background job that takes `job` up from where it waits, once the transaction
    commits. If the broker cannot be reached, the job keeps waiting and the page says so after a
    minute; file_jobs_requeue (run every minute by beat) queues it again until a worker takes
    it (core.queueing sets the times). A job delivered twice runs once (see file_job_run)."""
    FileJob.objects.filter(pk=job.pk).update(queued_at=timezone.now())
    queue_after_commit(_job_for(job), job.pk)


def file_jobs_requeue(*, now=None) -> int:
    """Queue again every file job still waiting for a worker 2 minutes after it was queued:
    queued while the broker was down, or lost by it (a restart without persistence). Returns how
    many."""
    waiting = Q()
    for kind, state in _waiting_states():
        waiting |= Q(kind=kind, state=state)
    jobs = list(FileJob.objects.filter(waiting, progress=0, queued_at__lt=requeue_before(now)))
    for job in jobs:
        logger.info("file job %s still waiting: queued again", job.pk)
        file_job_queue(job)
    return len(jobs)


def file_jobs_end_abandoned(*, now=None) -> int:
    """Mark failed every file job a worker took up longer ago than a job may run (the time limit,
    CELERY_TASK_TIME_LIMIT) and never finished: the worker died (or was killed at the limit), and
    the job, being claimed once, will not be run again. Its page then says it failed rather than
    show a progress bar for ever. Returns how many."""
    ended = FileJob.objects.filter(
        state__in=FileJob.BUSY_STATES, progress__gt=0, taken_up_at__lt=abandoned_before(now),
    ).update(state=FileJob.State.FAILED, error="abandoned: the worker stopped before the end",
             finished_at=timezone.now())
    if ended:
        logger.warning("%s file jobs abandoned by their worker marked failed", ended)
    return ended


def file_job_run(job_id: int, *, waiting: str, working: str, work) -> dict:
    """Run `work(job, progress)` on a FileJob waiting in the state `waiting` (progress 0), as a
    background job does.

    The job is claimed with one conditional update, so a job delivered twice runs once. A
    failure is recorded on the job (its page says so) rather than retried: the same file would
    fail the same way.
    """
    claimed = FileJob.objects.filter(pk=job_id, state=waiting, progress=0).update(
        state=working, progress=1, taken_up_at=timezone.now())
    if not claimed:  # already taken (a job delivered twice), or gone
        return {"done": 0}
    job = FileJob.objects.select_related("created_by").get(pk=job_id)
    progress = ProgressRecorder(job.pk, start=1, end=99)
    try:
        outcome = work(job, progress)
    except Exception as error:
        FileJob.objects.filter(pk=job.pk).update(state=FileJob.State.FAILED, error=repr(error),
                                                 finished_at=timezone.now())
        raise
    finally:
        progress.close()
    return {"done": 1, "outcome": outcome}


def file_job_finish(job: FileJob, state: str, **fields) -> FileJob:
    for name, value in {"state": state, "progress": 100, "finished_at": timezone.now(),
                        **fields}.items():
        setattr(job, name, value)
    job.save()
    return job


def file_job_store(*, job: FileJob, content: bytes, name: str) -> FileJob:
    """Keep a prepared file on its job, which is then done."""
    job.result.save("export.bin", ContentFile(content), save=False)
    return file_job_finish(job, FileJob.State.DONE, result_name=name)


def file_jobs_purge(*, before) -> int:
    """Delete the file jobs created before `before` that are not being worked on, with their
    files (what an import wrote stays in the objects' own history). Returns how many."""
    deleted = 0
    for job in FileJob.objects.filter(created_at__lt=before).exclude(
            state__in=[FileJob.State.CHECKING, FileJob.State.APPLYING, FileJob.State.RUNNING]):
        for stored in (job.source, job.result):
            if stored:
                stored.delete(save=False)
        job.delete()
        deleted += 1
    return deleted
