"""Pieces of pages drawn once and cached under a version (core.models.Version): a counter that
database triggers raise whenever what the piece shows changes, however it is written.

The key holds the counter's value and the transaction that last raised it (`xmin`), so a piece
drawn inside a transaction later rolled back is never served to another; the database (two sites
may share one Redis); the language; and what the caller names. Only on PostgreSQL, where the
triggers are: elsewhere every piece is drawn anew. A cache that does not answer is skipped.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

#: Entries of a version since raised are never read again; they expire after this.
TIMEOUT = 60 * 60


def current(name: str) -> str | None:
    """The version `name` now ("value:xmin"), or None (not PostgreSQL, or no row yet)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT value, xmin::text FROM core_version WHERE name = %s", [name])
        row = cursor.fetchone()
    return f"{row[0]}:{row[1]}" if row else None


def fragment_key(name: str, *, version: str, parts: dict) -> str:
    database = settings.DATABASES["default"]
    described = json.dumps({
        "name": name, "version": version, "language": get_language(),
        "database": [database.get("HOST"), database.get("PORT"), database.get("NAME")], **parts,
    }, sort_keys=True, default=str)
    return f"fragment:{name}:{hashlib.sha256(described.encode()).hexdigest()}"


def cached_fragment(name: str, parts: dict, draw, *, version: str | None):
    """draw(), or what it gave before for the same name, parts, language and `version` (a value
    of current(), with anything else it depends on appended); drawn anew when `version` is
    None."""
    if version is None:
        return draw()
    key = fragment_key(name, version=version, parts=parts)
    try:
        drawn = cache.get(key)
    except Exception:  # the cache is an optimisation: never fail a page for it
        logger.warning("page cache unavailable", exc_info=True)
        return draw()
    if drawn is not None:
        return drawn
    drawn = draw()
    try:
        cache.set(key, drawn, TIMEOUT)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
    return drawn
