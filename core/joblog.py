"""One structured log line when a job starts and one when it ends (counts, duration).

The fields (job, event, counts, duration_ms, error) are passed as the record's extra fields: with
LOG_FORMAT=json each line is one JSON object with them, beside the job id that config.logs adds.
"""

import functools
import logging
import time

logger = logging.getLogger("jobs")


def logged_job(name: str):
    """Decorate a job function returning a dict of counts: logs start, counts and duration."""

    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            started = time.monotonic()
            logger.info("job %s started", name, extra={"job": name, "event": "started"})
            try:
                counts = function(*args, **kwargs)
            except Exception as error:
                duration_ms = round((time.monotonic() - started) * 1000)
                logger.error("job %s failed after %s ms: %r", name, duration_ms, error, extra={
                    "job": name, "event": "failed", "error": repr(error),
                    "duration_ms": duration_ms,
                })
                raise
            duration_ms = round((time.monotonic() - started) * 1000)
            logger.info("job %s finished in %s ms: %s", name, duration_ms, counts, extra={
                "job": name, "event": "finished", "counts": counts, "duration_ms": duration_ms,
            })
            return counts

        return run

    return decorate
