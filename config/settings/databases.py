"""How the settings turn an address into a database or cache configuration (no environment is
read here: config/settings/base.py reads it)."""

import environ
from django.core.exceptions import ImproperlyConfigured

# SQLite (make run) with the web server's threads and the worker writing at once. Its defaults
# refuse a writer ("database is locked", a 503 page) whenever another holds the file: a
# transaction that reads first and writes later cannot wait for the lock, only fail. So every
# transaction takes the write lock when it begins (IMMEDIATE) and waits up to `timeout` seconds
# for it, and readers work beside the one writer (WAL) instead of blocking it.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}


def database_from_url(url: str) -> dict:
    config = environ.Env.db_url_config(url)
    config["ATOMIC_REQUESTS"] = True
    if config["ENGINE"].endswith("postgresql"):
        config["CONN_MAX_AGE"] = 60
        # An unreachable database fails fast (a 503 page, a failed health check), never hangs.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
        # PostgreSQL's JIT compiles the status-class expressions of every list and dashboard
        # query anew: half a second to seconds per query, for queries that run in milliseconds.
        config["OPTIONS"].setdefault("options", "-c jit=off")
    elif config["ENGINE"].endswith("sqlite3"):
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


def redis_cache(url: str, **extra) -> dict:
    """The cache on Redis. It answers within a second, and if Redis is down the pages still work:
    reads miss and writes are dropped (config/cache.py), each failure logged."""
    return {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        **extra,
    }


def require_secret_key(debug: bool, secret_key: str) -> str:
    """The secret key from the environment; a fixed insecure one is only tolerated in debug."""
    if secret_key:
        return secret_key
    if not debug:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    return "django-insecure-local-development-only"
