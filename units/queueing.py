"""Queueing background jobs safely from web requests and services."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def queue_after_commit(job, *args, **kwargs) -> None:
    """Queue `job` once the current transaction commits (never for work that is rolled back).

    The same job with the same arguments is queued once per transaction, however many times it is
    asked for (a bulk operation notifying hundreds of people sends one email job). If the broker
    is unreachable, the page that queued it still works: the failure is logged and the job's
    scheduled run (beat) does the work later.
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
        try:
            job.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:  # the broker is down: kombu's OperationalError, socket errors...
            logger.warning("job %s not queued, broker unavailable; its scheduled run will do it",
                           job.name, exc_info=True)

    send.job_signature, send.has_run = signature, False
    transaction.on_commit(send)
