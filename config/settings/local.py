"""Development on a laptop: SQLite, a broker without a server, mail to the console."""

from .base import *  # noqa: F403
from .base import (
    ENV_CELERY_BROKER_URL,
    ENV_DATABASE_URL,
    ENV_DEBUG,
    ENV_REDIS_URL,
    ENV_SECRET_KEY,
    VAR_DIR,
    database_from_url,
    redis_cache,
    require_secret_key,
)

DEBUG = True if ENV_DEBUG is None else ENV_DEBUG
SECRET_KEY = require_secret_key(DEBUG, ENV_SECRET_KEY)

DATABASES = {
    "default": database_from_url(ENV_DATABASE_URL or f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
}

# kombu's filesystem transport needs no server: the worker polls a folder (in and out must be the
# same folder). CELERY_BROKER_URL=redis://... switches to Redis.
_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = ENV_CELERY_BROKER_URL or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    for _sub in ("queue", "processed", "control"):
        (_BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
    }
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# On a laptop every job runs every 20 seconds, so the demo shows their effect at once (each job is
# idempotent: running it often changes nothing but the first time).
CELERY_BEAT_SCHEDULE = {
    name: {**entry, "schedule": 20.0}
    for name, entry in CELERY_BEAT_SCHEDULE.items()  # noqa: F405
}

if ENV_REDIS_URL:
    CACHES = {"default": redis_cache(ENV_REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Static files straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
