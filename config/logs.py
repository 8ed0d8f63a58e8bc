"""Log lines that can be followed: a request id on every line of a request, a job id on every line
of a background job, and JSON lines (LOG_FORMAT=json) for a log collector.

Loaded by logging.config.dictConfig before the apps are ready: nothing here may import models.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

#: The id of the request being handled by this thread or task, if any.
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# What a caller may send in X-Request-ID: a proxy's or load balancer's id (a UUID, hex, base64
# without padding...). Anything else is replaced, so a log line cannot be forged through it.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}")


def request_id_from(header: str | None) -> str:
    """The caller's request id if it is sane, else a new one."""
    if header and _SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _current_job_id() -> str | None:
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover - celery is a dependency
        return None
    task = current_task
    if not task:
        return None
    # Eager runs and real workers alike push the job's request; a task merely imported has none.
    request = getattr(task, "request", None)
    return getattr(request, "id", None)


class ContextFilter(logging.Filter):
    """Adds request_id (during a web request) and job_id (during a Celery job) to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            request_id = request_id_var.get()
            if request_id:
                record.request_id = request_id
        if getattr(record, "job_id", None) is None:
            job_id = _current_job_id()
            if job_id:
                record.job_id = job_id
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: timestamp (ISO 8601, UTC), level, logger, message, then
    request_id, job_id and any `extra=` fields of the call."""

    def __init__(self, **kwargs):
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        super().__init__("%(levelname)s %(name)s %(message)s", **kwargs)


class TextFormatter(logging.Formatter):
    """The plain format for a terminal, with the request or job id when there is one."""

    def __init__(self, **kwargs):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s", **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = [f"{name}={getattr(record, name)}" for name in ("request_id", "job_id")
               if getattr(record, name, None)]
        if not ids:
            return line
        first, newline, rest = line.partition("\n")
        return f"{first} [{' '.join(ids)}]{newline}{rest}"


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting: everything to standard error, in `log_format` ("json" or "text")."""
    formatter = {"json": "config.logs.JsonFormatter", "text": "config.logs.TextFormatter"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "config.logs.ContextFilter"}},
        "formatters": {"default": {"()": formatter[log_format]}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default",
                                 "filters": ["context"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # WeasyPrint logs every page it lays out at INFO: hundreds of lines per report.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            # Axes logs each attempt itself; the sign-in audit log (units.SignInEvent) has them.
            "axes": {"level": "WARNING"},
        },
    }
