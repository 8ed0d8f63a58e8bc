"""Caching the dashboard's figures, keyed so that any change to their inputs changes the key.

The key holds everything the figures are computed from:

- the data, through the database's data version (reports.models.DataVersion, raised by
  triggers on every table the figures read) and the transaction that last raised it (`xmin`),
  so that work rolled back cannot leave an entry another transaction would reach;
- which database (two sites may share one Redis);
- the tasks asked for, as the SQL (and parameters) of the filtered, scoped queryset;
- the day, the reporting period and its dates, the scope of the compliance table, the language
  (names are localised), and the settings the figures read.

Only on PostgreSQL (elsewhere there is no data version, and nothing is cached). If the cache
does not answer, the figures are computed as if nothing were cached.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

#: Entries for data that has since changed are never read again; they expire after this.
TIMEOUT = 60 * 60
#: Raised when the figures or their layout change, so old entries are not read.
LAYOUT = 1


def data_version() -> str | None:
    """The data version and the transaction that set it ("value:xmin"); None when there is
    none (not PostgreSQL, or the row is missing)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT value, xmin::text FROM reports_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return f"{row[0]}:{row[1]}" if row else None


def cache_key(name: str, *, version: str, parts: dict) -> str:
    database = settings.DATABASES["default"]
    described = json.dumps({
        "name": name, "layout": LAYOUT, "version": version,
        "database": [database.get("HOST"), database.get("PORT"), database.get("NAME")],
        "language": get_language(), "cutoff": settings.REPORTING_CUTOFF_DAY,
        "submission": settings.REPORTING_SUBMISSION_DAYS_AFTER_CUTOFF, **parts,
    }, sort_keys=True, default=str)
    return f"dashboard:{name}:{hashlib.sha256(described.encode()).hexdigest()}"


def queryset_identity(queryset) -> list:
    """The tasks a queryset selects, as its SQL and parameters (ordering aside)."""
    if queryset.query.is_empty():
        return ["none"]
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    return [sql, [str(param) for param in params]]


def cached(name: str, parts: dict, compute):
    """compute(), or what it returned before for the same name, parts and data."""
    version = data_version()
    if version is None:
        return compute()
    key = cache_key(name, version=version, parts=parts)
    try:
        value = cache.get(key)
    except Exception:  # the cache is an optimisation: never fail a page for it
        logger.warning("dashboard cache unavailable", exc_info=True)
        return compute()
    if value is not None:
        return value
    value = compute()
    try:
        cache.set(key, value, TIMEOUT)
    except Exception:
        logger.warning("dashboard cache unavailable", exc_info=True)
    return value
