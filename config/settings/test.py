"""The test suite: the real services, PostgreSQL and Redis, on this machine by default."""

from .base import *  # noqa: F403
from .base import (
    API_THROTTLE_RATES,
    ENV_CELERY_BROKER_URL,
    ENV_DATABASE_URL,
    ENV_REDIS_URL,
    VAR_DIR,
    database_from_url,
    redis_cache,
)

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]

DATABASES = {
    "default": database_from_url(
        ENV_DATABASE_URL or "postgres://postgres@127.0.0.1:5432/programme_tracker"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = 0

REDIS_URL = ENV_REDIS_URL or "redis://127.0.0.1:6379/0"
CACHES = {"default": redis_cache(REDIS_URL, KEY_PREFIX="test")}
CELERY_BROKER_URL = ENV_CELERY_BROKER_URL or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"

# Static files straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Many API requests a minute from one address: the throttling tests set their own rates.
REST_FRAMEWORK = {**REST_FRAMEWORK,  # noqa: F405
                  "DEFAULT_THROTTLE_RATES": dict.fromkeys(API_THROTTLE_RATES, "100000/minute")}
