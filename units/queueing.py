"""Queueing background jobs safely from web requests and services."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

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
        try:
            with job.app.connection_for_write(transport_options=_FAIL_FAST) as broker:
                job.apply_async(args=args, kwargs=kwargs, retry=False, connection=broker)
        except Exception:  # the broker is down: kombu's OperationalError, socket errors...
            logger.warning("job %s not queued, broker unavailable; its scheduled run will do it",
                           job.name, exc_info=True)
            if on_broker_failure is not None:
                on_broker_failure()

    send.job_signature, send.has_run = signature, False
    transaction.on_commit(send)
