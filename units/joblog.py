"""One structured log line when a job starts and one when it ends (counts, duration)."""

import functools
import json
import logging
import time

logger = logging.getLogger("jobs")


def logged_job(name: str):
    """Decorate a job function returning a dict of counts: logs start, counts and duration."""

    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            started = time.monotonic()
            logger.info(json.dumps({"job": name, "event": "started"}))
            try:
                counts = function(*args, **kwargs)
            except Exception as error:
                logger.error(json.dumps({
                    "job": name, "event": "failed", "error": repr(error),
                    "duration_ms": round((time.monotonic() - started) * 1000),
                }))
                raise
            logger.info(json.dumps({
                "job": name, "event": "finished", "counts": counts,
                "duration_ms": round((time.monotonic() - started) * 1000),
            }, default=str))
            return counts

        return run

    return decorate
