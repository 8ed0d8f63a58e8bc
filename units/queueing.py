"""Queueing background jobs safely from web requests and services."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def queue_after_commit(job, *args, **kwargs) -> None:
    """Queue `job` once the current transaction commits (never for work that is rolled back).

    If the broker is unreachable, the page that queued it still works: the failure is logged and
    the job's scheduled run (beat) does the work later.
    """

    def send():
        try:
            job.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:  # the broker is down: kombu's OperationalError, socket errors...
            logger.warning("job %s not queued, broker unavailable; its scheduled run will do it",
                           job.name, exc_info=True)

    transaction.on_commit(send)
