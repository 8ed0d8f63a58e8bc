"""Settings shared by every environment.

This is the only module that reads the environment: the local, test and production modules
only choose defaults and override what differs. Every variable is documented in README.md.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.logs import logging_config

from .databases import (  # noqa: F401  (the other settings modules import them from here)
    SQLITE_OPTIONS,
    database_from_url,
    redis_cache,
    require_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A .env file beside manage.py is optional; real environment variables win over it.
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"), overwrite=False)

# --- Values read from the environment (None: the environment module picks the default) ---
ENV_DEBUG = env.bool("DJANGO_DEBUG", default=None)
ENV_SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ENV_DATABASE_URL = env.str("DATABASE_URL", default="")
ENV_CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
ENV_REDIS_URL = env.str("REDIS_URL", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Programme Tracker <noreply@localhost>")
# The address of the site, for links in emails; and the domain of notification Message-IDs.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
EMAIL_DOMAIN = env.str("EMAIL_DOMAIN", default="programme-tracker.local")
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/")
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")
ENV_LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="")  # json | text

# Signing in and sessions (see SECURITY.md).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30)  # minutes without a request
SIGNIN_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=5)
SIGNIN_COOLOFF_MINUTES = env.int("SIGNIN_COOLOFF_MINUTES", default=15)
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=12)
# Reverse proxies in front of the application that append to X-Forwarded-For (0: none).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# Backups (scripts/backup.py): where `make backup` writes.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))

if not re.fullmatch(r"(?:(?!\.+/)[A-Za-z0-9._~-]+/)+", ADMIN_URL):
    raise ImproperlyConfigured(
        "DJANGO_ADMIN_URL must be a path such as 'quan-tri-7f3a/': letters, digits, '.', '-', "
        "'_' or '~', ending with '/' and not starting with one.")
if SESSION_IDLE_TIMEOUT < 1 or SIGNIN_FAILURE_LIMIT < 1 or SIGNIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured(
        "SESSION_IDLE_TIMEOUT, SIGNIN_FAILURE_LIMIT and SIGNIN_COOLOFF_MINUTES must be 1 or more.")

# Reporting periods (Decree 09/2019/NĐ-CP, Art. 12): a month's data runs from the day after the
# previous month's cut-off to this month's cut-off day. Stored on each period when it is created.
#: How far (a share of the expected value) an indicator's latest approved value may fall behind
#: its trajectory and still count as on track (indicators.trajectory).
INDICATOR_TOLERANCE = env.float("INDICATOR_TOLERANCE", default=0.05)
# Days after a period's end from which an indicator value still not submitted is late (a second
# reminder to the unit).
INDICATOR_VALUE_LATE_DAYS = env.int("INDICATOR_VALUE_LATE_DAYS", default=15)
# Days a unit has to answer an explanation request, unless the requester sets another date.
EXPLANATION_REPLY_DAYS = env.int("EXPLANATION_REPLY_DAYS", default=7)
REPORTING_CUTOFF_DAY = env.int("REPORTING_CUTOFF_DAY", default=14)
#: Days after which an unanswered difficulty or proposal is flagged overdue.
PROPOSAL_ANSWER_DAYS = env.int("PROPOSAL_ANSWER_DAYS", default=30)
REPORTING_SUBMISSION_DAYS_AFTER_CUTOFF = env.int(
    "REPORTING_SUBMISSION_DAYS_AFTER_CUTOFF", default=3
)
if not 1 <= REPORTING_CUTOFF_DAY <= 28:
    raise ImproperlyConfigured("REPORTING_CUTOFF_DAY must be between 1 and 28.")
if not 0 <= REPORTING_SUBMISSION_DAYS_AFTER_CUTOFF <= 27:
    raise ImproperlyConfigured("REPORTING_SUBMISSION_DAYS_AFTER_CUTOFF must be between 0 and 27.")

# The monthly report to the Standing Secretariat (Decree 30/2020/NĐ-CP presentation).
MONTHLY_REPORT = {
    "parent_body": env.str("MONTHLY_REPORT_PARENT_BODY", default=""),
    "issuing_body": env.str("MONTHLY_REPORT_ISSUING_BODY", default="BỘ Y TẾ"),
    "issuing_body_short": env.str("MONTHLY_REPORT_ISSUING_BODY_SHORT", default="BYT"),
    "place": env.str("MONTHLY_REPORT_PLACE", default="Hà Nội"),
    # "{seq}" is the sequence number in its year; the year and body follow the usual form.
    "number_format": env.str("MONTHLY_REPORT_NUMBER_FORMAT", default="{seq}/BC-BYT"),
    "signatory_title": env.str("MONTHLY_REPORT_SIGNATORY_TITLE",
                               default="KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG"),
    "signatory_name": env.str("MONTHLY_REPORT_SIGNATORY_NAME", default=""),
    "recipients": env.list("MONTHLY_REPORT_RECIPIENTS", default=[
        "Thường trực Ban Bí thư (để báo cáo)", "Văn phòng Trung ương Đảng",
        "Văn phòng Chính phủ", "Lưu: VT, VPB"]),
}

# Evidence files attached to reports.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)

# Webhooks (README.md "Webhooks"): first retry's wait (doubling), attempts before giving up,
# failures in a row that pause a subscription, seconds to answer, lateness the beat re-queues.
WEBHOOKS = {
    "backoff_seconds": env.int("WEBHOOK_BACKOFF_SECONDS", default=30),
    "max_attempts": env.int("WEBHOOK_MAX_ATTEMPTS", default=12),
    "pause_after_failures": env.int("WEBHOOK_PAUSE_AFTER_FAILURES", default=10),
    "timeout_seconds": env.int("WEBHOOK_TIMEOUT_SECONDS", default=10),
    "requeue_after_seconds": 60,
}

# --- Application ---
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    # Before "units": axes marks a locked-out request before units records the refusal.
    "axes",
    "core",
    "units",
    "tasks",
    "indicators",
    "reports",
    "public",
    "webhooks",
    "accountability",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "config.middleware.FactsSettleMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "units.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "units.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "units.context_processors.notifications",
                "config.context_processors.permissions",
                "config.context_processors.waiting",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # OWASP ASVS 2.1.1: at least 12 characters; no composition rules (2.1.9).
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time and formats ---
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy in both languages (config/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]

# --- Files ---
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Email ---
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_CONFIG.get("EMAIL_HOST", "")
EMAIL_PORT = EMAIL_CONFIG.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery (jobs) ---
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Unacknowledged jobs of a worker that died go back to the queue after this many seconds; the
# workers look for such jobs every CELERY_RESTORE_CHECK_SECONDS (one small Redis query).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_RESTORE_CHECK_SECONDS", default=60),
    "unacked_restore_throttle": 1,
}
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Every schedule lives here, in code, reviewed like the rest (times are Asia/Ho_Chi_Minh).
CELERY_BEAT_SCHEDULE = {
    "open-current-period": {
        "task": "reports.open_current_period", "schedule": crontab(hour=0, minute=5)},
    # The figures' per-task facts for the new day (after the unit changes), before anyone reads.
    "refresh-task-facts": {
        "task": "reports.refresh_task_facts", "schedule": crontab(hour=0, minute=20)},
    # Unit changes dated today (a merge, a split...) before any figure of the day is made.
    "apply-unit-changes": {
        "task": "units.apply_unit_changes", "schedule": crontab(hour=0, minute=15)},
    "flag-overdue": {"task": "tasks.flag_overdue", "schedule": crontab(hour=0, minute=30)},
    # Subscribers hear of each task whose status class changed overnight (after the facts).
    "emit-status-changes": {"task": "tasks.emit_status_changes",
                            "schedule": crontab(hour=0, minute=35)},
    # Webhook deliveries overdue (the broker was down, or lost the job) are queued again.
    "requeue-webhooks": {"task": "webhooks.requeue_due", "schedule": crontab(minute="*")},
    "record-late-reports": {
        "task": "reports.record_late_reports", "schedule": crontab(hour=0, minute=45)},
    # Explanation requests not answered by their date (after the day's facts).
    "escalate-explanations": {
        "task": "accountability.escalate_unanswered", "schedule": crontab(hour=0, minute=50)},
    "build-monthly-report-data": {
        "task": "reports.build_monthly_report_data", "schedule": crontab(hour=1, minute=0)},
    "deadline-reminders": {
        "task": "tasks.send_deadline_reminders", "schedule": crontab(hour=7, minute=0)},
    "remind-missing-reports": {
        "task": "reports.remind_missing_reports", "schedule": crontab(hour=7, minute=30)},
    # Units owing indicator values for the period due: when it ends, and again when late.
    "remind-missing-indicator-values": {
        "task": "indicators.remind_missing_values", "schedule": crontab(hour=7, minute=45)},
    "purge-file-jobs": {"task": "core.purge_file_jobs", "schedule": crontab(hour=2, minute=0)},
    # Imports and exports queued while the broker was down (or lost by it) are queued again;
    # those whose worker died are marked failed.
    "sweep-file-jobs": {"task": "core.sweep_file_jobs", "schedule": crontab(minute="*")},
    # The same for a monthly draft asked for on the monthly reports page.
    "sweep-monthly-drafts": {
        "task": "reports.sweep_monthly_drafts", "schedule": crontab(minute="*")},
    # Catches up on emails whose job could not be queued (a broker outage) or failed.
    "send-notification-emails": {
        "task": "units.send_notification_emails", "schedule": crontab(minute="*/5")},
}

# --- REST API (README.md "API") ---
# Requests per client: `token` per API token, `user` per signed-in browser session, `anon` per
# address for requests without valid credentials (e.g. "600/minute", "30/minute").
API_THROTTLE_RATES = {
    "token": env.str("API_THROTTLE_TOKEN", default="600/minute"),
    "user": env.str("API_THROTTLE_USER", default="300/minute"),
    "anon": env.str("API_THROTTLE_ANON", default="30/minute"),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The first one's WWW-Authenticate is the one a 401 names: Bearer.
        "units.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["units.authentication.IsAuthenticatedWithinScope"],
    "DEFAULT_THROTTLE_CLASSES": ["units.authentication.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": API_THROTTLE_RATES,
    # Behind the TLS proxy of docker-compose set 1, so the client's own address is throttled.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["core.api.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.ApiPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api_errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.ApiAutoSchema",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "DATETIME_INPUT_FORMATS": ["iso-8601"],
}
from .api_schema import SPECTACULAR_SETTINGS  # noqa: E402,F401  (the OpenAPI schema's settings)

# --- Audit history ---
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Logs (config/logs.py): a request id on every line of a request, a job id on every line of
# a job; JSON lines with LOG_FORMAT=json (production's default), plain text otherwise.
LOG_FORMAT = ENV_LOG_FORMAT or "text"
if ENV_LOG_FORMAT not in ("", "json", "text"):
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be json or text.")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)

# --- Security (see SECURITY.md; production.py adds HTTPS, HSTS and secure cookies) ---
# A Content-Security-Policy without 'unsafe-inline': pages load scripts, styles, images and fonts
# from the site itself only; templates carry no inline script, style or on*= handler
# (tests/test_security.py checks them). htmx is told not to inject its own styles (base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True

# Sessions end after SESSION_IDLE_TIMEOUT minutes without a request (every request pushes the
# expiry back), and when the browser closes.
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Failed sign-ins (django-axes, units/signin.py): SIGNIN_FAILURE_LIMIT failures for one username
# from one address pause signing in with it from there for SIGNIN_COOLOFF_MINUTES. By username
# and address together, so that nobody can lock an official out from elsewhere and a ministry
# behind one address is not locked out by one person.
AUTHENTICATION_BACKENDS = [
    "units.signin.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = SIGNIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGNIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "units.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "units.signin.client_ip"
AXES_USERNAME_CALLABLE = "units.signin.axes_username"
# Sign-ins and sign-outs are in the sign-in audit log (units.SignInEvent) instead.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Jobs log through Django's LOGGING (config/celery_app.py keeps Celery from replacing it).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
