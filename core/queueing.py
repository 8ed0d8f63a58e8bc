"""Queueing background jobs safely from web requests and services."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

#: Work a user waits for (an import, an export, a monthly draft) records when its job was queued:
#: after WAITING_NOTICE_AFTER its page says it is waiting for the job service; after
#: REQUEUE_AFTER a sweep run by beat queues it again (the broker was down, or lost it).
WAITING_NOTICE_AFTER = timedelta(minutes=1)
REQUEUE_AFTER = timedelta(minutes=2)
#: Work taken up longer ago than a job may run (CELERY_TASK_TIME_LIMIT) plus this margin was
#: abandoned by its worker: the sweep ends it rather than let its page wait for ever.
ABANDONED_MARGIN = timedelta(minutes=5)


def requeue_before(now: datetime | None = None) -> datetime:
    """Work queued before this and still waiting is queued again."""
    return (now or timezone.now()) - REQUEUE_AFTER


def abandoned_before(now: datetime | None = None) -> datetime:
    """Work taken up before this and not finished was abandoned by its worker."""
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + ABANDONED_MARGIN
    return (now or timezone.now()) - limit


def is_waiting_long(queued_at: datetime | None) -> bool:
    return queued_at is not None and timezone.now() - queued_at > WAITING_NOTICE_AFTER

# One attempt, bounded: kombu would otherwise retry a refused connection for its whole connect
# timeout (about 6 s measured), and the page would wait as long. Beat catches up.
_FAIL_FAST = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 2}


def queue_after_commit(job, *args, on_broker_failure=None, **kwargs) -> None:
    """Queue `job` once the current transaction commits (never for work that is rolled back).

    The same job with the same arguments is queued once per transaction, however many times it is
    asked for (a bulk operation notifying hundreds of people sends one email job). If the broker
    is unreachable, the page that queued it still works: the failure is logged and the job's
    scheduled run (beat) does the work later. A job that has no scheduled run passes
    `on_broker_failure`, called (after the commit, still within the request) to undo what
    announced the job and tell the user.
    """
    signature = (job.name, args, tuple(sorted(kwargs.items())))
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
            getattr(pending[1], "job_signature", None) == signature
            and not pending[1].has_run
            for pending in connection.run_on_commit):
        return

    def send():
        send.has_run = True
        if not queue_now(job, *args, **kwargs) and on_broker_failure is not None:
            on_broker_failure()

    send.job_signature, send.has_run = signature, False
    transaction.on_commit(send)


def queue_now(job, *args, eta: datetime | None = None, **kwargs) -> bool:
    """Queue `job` now, to run at once or at `eta`, without waiting for a commit: for a job that
    queues its own next step (a retry at its time). False if the broker is unreachable (logged):
    the job's scheduled sweep does the work later."""
    try:
        with job.app.connection_for_write(transport_options=_FAIL_FAST) as broker:
            job.apply_async(args=args, kwargs=kwargs, eta=eta, retry=False, connection=broker)
    except Exception:  # the broker is down: kombu's OperationalError, socket errors...
        logger.warning("job %s not queued, broker unavailable; its scheduled run will do it",
                       job.name, exc_info=True)
        return False
    return True
