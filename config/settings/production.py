"""Production: PostgreSQL, Redis, gunicorn behind a TLS-terminating proxy."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ENV_CELERY_BROKER_URL,
    ENV_DATABASE_URL,
    ENV_DEBUG,
    ENV_LOG_FORMAT,
    ENV_REDIS_URL,
    ENV_SECRET_KEY,
    LOG_LEVEL,
    database_from_url,
    logging_config,
    redis_cache,
    require_secret_key,
)

DEBUG = bool(ENV_DEBUG)
SECRET_KEY = require_secret_key(DEBUG, ENV_SECRET_KEY)

if not ENV_DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
DATABASES = {"default": database_from_url(ENV_DATABASE_URL)}

REDIS_URL = ENV_REDIS_URL or "redis://127.0.0.1:6379/0"
CELERY_BROKER_URL = ENV_CELERY_BROKER_URL or REDIS_URL
CACHES = {"default": redis_cache(REDIS_URL)}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# TLS is terminated by the proxy in front of gunicorn, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies only over HTTPS, bound to this host (the __Host- prefix: no Domain, Path=/, Secure).
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = True

# JSON lines for the log collector unless DJANGO_LOG_FORMAT=text.
LOG_FORMAT = ENV_LOG_FORMAT or "json"
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
