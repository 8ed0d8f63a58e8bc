"""Caching the dashboard's figures, keyed so that any change to their inputs changes the key.

The key holds everything the figures are computed from:

- the data, through the database's data version (reports.models.DataVersion, raised by
  triggers on every table the figures read) and the transaction that last raised it (`xmin`),
  so that work rolled back cannot leave an entry another transaction would reach;
- which database (two sites may share one Redis);
- the tasks asked for, as the SQL (and parameters) of the filtered, scoped queryset;
- the day, the reporting period and its dates, the scope of the compliance table, the language
  (names are localised), and the settings the figures read;
- the code and templates that compute and draw them (a digest), so a release starts afresh.

The figures are cached, and so is the page's body drawn from them (its key adds the sorting and
paging asked for).

Only on PostgreSQL (elsewhere there is no data version, and nothing is cached). If the cache
does not answer, the figures are computed as if nothing were cached.
"""

import functools
import hashlib
import json
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from core import versions

from ..data_version import data_version

logger = logging.getLogger(__name__)

#: Entries for data that has since changed are never read again; they expire after this.
TIMEOUT = 60 * 60


@functools.cache
def _code_version() -> str:
    """A digest of the code and templates that compute and draw the figures: a new release
    never reads what an older one cached. Read once per process, when first needed (not at
    import: the commands and jobs that never draw the dashboard do not pay for it)."""
    root = Path(settings.BASE_DIR)
    sources = sorted([*(root / "reports" / "dashboard").glob("*.py"),
                      root / "reports" / "charts.py",
                      root / "indicators" / "trajectory.py",
                      root / "indicators" / "status.py",
                      *(root / "reports" / "views").glob("dashboard*.py"),
                      *(root / "templates" / "reports").glob("dashboard*.html"),
                      *(root / "templates" / "reports" / "dashboard").glob("*.html")])
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]



def cached_frame(name: str, parts: dict, compute, *, with_data: bool = False):
    """compute() for what only changes with the choices a page offers (the resolutions, groups
    and units the filter bar lists: core.versions' "choices", raised by triggers on those
    tables), and with the data as well when `with_data` (a filter bar listing the units that
    lead the tasks)."""
    choices = versions.current("choices")
    data = data_version() if with_data and choices else ""
    if choices is None or data is None:
        return compute()
    return cached(name, parts, compute,
                  key=cache_key(name, version=f"{choices}/{data}", parts=parts))


def cache_key(name: str, *, version: str, parts: dict) -> str:
    database = settings.DATABASES["default"]
    described = json.dumps({
        "name": name, "code": _code_version(), "version": version,
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


def key_for(name: str, parts: dict) -> str | None:
    """The cache key of `name` for these parts and the data as it is now (None: no caching)."""
    version = data_version()
    return None if version is None else cache_key(name, version=version, parts=parts)


def cached(name: str, parts: dict, compute, *, key: str | None = None):
    """compute(), or what it returned before for the same name, parts and data (`key`, when
    given, is key_for(name, parts) already computed)."""
    key = key or key_for(name, parts)
    if key is None:
        return compute()
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
