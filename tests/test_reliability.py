"""When a service fails: the database down gives a clear 503 page in the user's language (never a
trace), a failure of ours a 500 page; the broker (Redis) down leaves every page working, with the
work done later; the cache down costs nothing but time.

No mocks: the database and the broker are pointed at a port where nothing listens.
"""

import logging
import re
import socket
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import OperationalError, connections
from django.test import Client, RequestFactory
from django.urls import include, path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from config.cache import ResilientRedisCache
from config.celery_app import app
from config.errors import database_unavailable_response, server_error_response
from config.views import server_error
from reports.jobs import sweep_monthly_drafts
from reports.models import MonthlyReportData
from tests.factories import ReportingPeriodFactory, UserFactory
from units.models import User

ROOT = Path(__file__).resolve().parent.parent
CLOSED_PORT = 6390  # nothing listens here (as in tests/test_deploy.py)


def boom(request):
    raise RuntimeError("a fault of ours, with a secret: s3cr3t")


urlpatterns = [path("boom/", boom), path("", include("config.urls"))]
handler500 = "config.views.server_error"


def vi(text: str) -> str:
    with translation.override("vi"):
        return gettext(text)


VI_503 = "Service temporarily unavailable"
WAITING = ("The job service is busy or not answering, so the work has not started yet. It is "
           "kept and will start as soon as the service can take it; nothing needs to be done "
           "again.")
VI_500 = "Something went wrong"


def closed_port() -> int:
    """A port that was free a moment ago: nothing of ours will listen there."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_down(transactional_db):
    """The default connection pointed at a port where nothing listens, for the test's requests."""
    connection = connections["default"]
    original = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = closed_port()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original


def assert_no_trace(page: str):
    for leak in ("Traceback", "OperationalError", "psycopg", "connection refused", "s3cr3t",
                 "File \""):
        assert leak.lower() not in page.lower(), leak


# --- The database down ------------------------------------------------------------------------


def test_the_database_down_gives_a_503_page_in_vietnamese(database_down):
    started = time.monotonic()
    response = Client().get("/")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Language"] == "vi"
    page = response.content.decode()
    assert f"<h1>{vi(VI_503)}</h1>" in page
    assert vi(VI_503) != VI_503  # really in Vietnamese
    assert '<html lang="vi">' in page
    assert_no_trace(page)
    # The reference on the page is the request's id, as in the logs.
    assert response["X-Request-ID"] in page
    # Headers as on any page.
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_503_page_is_in_english_when_the_language_cookie_says_so(database_down):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("login"))
    assert response.status_code == 503
    assert response["Content-Language"] == "en"
    page = response.content.decode()
    assert f"<h1>{VI_503}</h1>" in page
    assert "cannot reach its database" in page
    assert_no_trace(page)


def test_a_signed_in_user_gets_the_503_page_and_keeps_their_session(transactional_db):
    user = UserFactory(username="reporter", role=User.Role.REPORTER)
    # With a session, the database error is raised again after the view, while the session is
    # saved (SESSION_SAVE_EVERY_REQUEST), where handler500 turns it into the 503 page; the test
    # client would re-raise it.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    connection = connections["default"]
    original = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = closed_port()
    try:
        response = client.post(reverse("password_change"), {"old_password": "x"})
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original
    assert response.status_code == 503
    assert_no_trace(response.content.decode())
    # Once the database is back, the user is still signed in.
    assert client.get(reverse("password_change")).status_code == 200


def test_the_api_gets_json_when_the_database_is_down(database_down):
    response = Client().get("/api/v1/monthly-reports/")
    assert response.status_code == 503
    error = response.json()["error"]  # the API's one error shape
    assert error["code"] == "service_unavailable"
    assert error["message"] == vi("The service is temporarily unavailable. Try again in a few "
                                  "minutes.")
    assert response["X-Request-ID"]


def test_the_database_down_outside_a_view_is_a_503_too():
    """handler500 (config.views.server_error) for a database error raised where no middleware
    catches it, such as while saving the session after the view."""
    request = RequestFactory().get("/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    try:
        raise RuntimeError("something else")
    except RuntimeError:
        response = server_error(request)
    assert response.status_code == 500


def test_health_check_reports_the_database_down(database_down):
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


# --- Our own faults ---------------------------------------------------------------------------


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("language", "heading"), [("vi", vi(VI_500)), ("en", VI_500)])
def test_a_fault_of_ours_gives_the_500_page_in_the_users_language(db, language, heading):
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/boom/")
    assert response.status_code == 500
    assert response["Content-Language"] == language
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert response["X-Request-ID"] in page
    assert_no_trace(page)
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("render", [server_error_response, database_unavailable_response])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_error_pages_render_without_the_database(render, language):
    # No db fixture: pytest-django refuses any query, so a page that needed one would fail here.
    request = RequestFactory().get("/", HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}={language}")
    request.request_id = "ref-1234"
    response = render(request)
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert "ref-1234" in page
    assert "/static/css/app.css" in page
    heading = VI_503 if render is database_unavailable_response else VI_500
    assert f"<h1>{vi(heading) if language == 'vi' else heading}</h1>" in page
    assert_no_trace(page)


@pytest.mark.parametrize("name", ["403.html", "404.html", "500.html", "503.html"])
def test_every_error_page_exists(name):
    assert (ROOT / "templates" / name).is_file()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_403_and_404_pages_are_ours_in_the_users_language(client, reporter, language):
    client.force_login(reporter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    say = vi if language == "vi" else str
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert say("This page does not exist, or it is outside what your unit can see.") in page
    response = client.get(reverse("monthly_reports"))
    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{language}">' in page and say("Not allowed") in page


# --- The broker (Redis) down ------------------------------------------------------------------


class _Broker:
    def __init__(self):
        self.original, self.eager = app.conf.broker_url, app.conf.task_always_eager

    def down(self):
        app.conf.broker_url = f"redis://127.0.0.1:{CLOSED_PORT}/0"
        app.conf.task_always_eager = False
        app._pool = app.amqp._producer_pool = None

    def back(self):
        app.conf.broker_url, app.conf.task_always_eager = self.original, self.eager
        app._pool = app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """The real Celery app pointed at a closed port, not eager: .apply_async really connects.
    `.back()` brings the test broker back (eager, as in the rest of the suite)."""
    broker = _Broker()
    broker.down()
    try:
        yield broker
    finally:
        broker.back()


def test_every_job_is_queued_through_the_guard():
    """Work is queued only by core.queueing.queue_after_commit (which survives a broker that is
    down) or by beat; nothing calls .delay() or .apply_async() unguarded."""
    offenders = []
    for app_dir in ("config", "core", "units", "tasks", "reports", "public", "webhooks",
                    "accountability"):
        for source in (ROOT / app_dir).rglob("*.py"):
            if source == ROOT / "core" / "queueing.py":
                continue
            text = source.read_text()
            if re.search(r"\.(delay|apply_async|send_task)\(", text):
                offenders.append(str(source.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db(transaction=True)
def test_a_draft_asked_for_while_the_broker_is_down_is_prepared_once_it_is_back(
        broker_down, caplog):
    # Transactional: the job is queued when the request's own transaction commits, inside the
    # request, as in production.
    ReportingPeriodFactory(year=2025, month=11)
    secretariat = UserFactory(username="secretariat", role=User.Role.SECRETARIAT, unit=None)
    client = Client()
    client.force_login(secretariat)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="core.queueing"):
        response = client.post(reverse("monthly_report_prepare", args=[2025, 11]), follow=True)
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert "broker unavailable" in caplog.text
    page = response.content.decode()
    assert vi("The job service is not answering, so the draft will be prepared as soon as it "
              "is back; this page shows its progress. Meanwhile, you can preview the "
              "draft.") in page
    assert MonthlyReportData.objects.get().progress == MonthlyReportData.QUEUED
    assert 'hx-trigger="every 1s"' in page  # the page follows it

    MonthlyReportData.objects.update(queued_at=timezone.now() - timedelta(minutes=3))
    page = client.get(reverse("monthly_reports")).content.decode()
    assert vi(WAITING) in page
    assert sweep_monthly_drafts()["queued_again"] == 1  # still down: it waits on
    assert MonthlyReportData.objects.get().progress == MonthlyReportData.QUEUED

    broker_down.back()
    MonthlyReportData.objects.update(queued_at=timezone.now() - timedelta(minutes=3))
    assert sweep_monthly_drafts() == {"queued_again": 1, "abandoned": 0}
    record = MonthlyReportData.objects.get()
    assert record.progress == 100 and record.draft_pdf
    page = client.get(reverse("monthly_reports")).content.decode()
    assert vi("Download the prepared draft") in page and vi(WAITING) not in page


@pytest.mark.django_db(transaction=True)
def test_the_previous_draft_stays_downloadable_while_a_new_one_waits(broker_down):
    period = ReportingPeriodFactory(year=2025, month=11)
    record = MonthlyReportData.objects.create(period=period, data={}, progress=100)
    record.draft_pdf.save("draft-2025-11.pdf", ContentFile(b"%PDF-1.4 previous draft"))
    secretariat = UserFactory(username="secretariat", role=User.Role.SECRETARIAT, unit=None)
    client = Client()
    client.force_login(secretariat)
    page = client.post(reverse("monthly_report_prepare", args=[2025, 11]),
                       follow=True).content.decode()
    assert vi("Download the previous draft") in page
    download = client.get(reverse("monthly_report_draft", args=[2025, 11]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 previous draft"


def test_a_draft_whose_worker_died_ends_rather_than_wait_for_ever(db, settings):
    settings.CELERY_TASK_TIME_LIMIT = 30 * 60
    now = timezone.now()

    def record(month, minutes_ago, draft):
        made = MonthlyReportData.objects.create(
            period=ReportingPeriodFactory(year=2025, month=month), data={}, progress=40,
            queued_at=now - timedelta(hours=1), taken_up_at=now - timedelta(minutes=minutes_ago))
        if draft:
            made.draft_pdf.save(f"draft-{month}.pdf", ContentFile(b"%PDF-1.4"))
        return made

    with_draft, without, working = record(9, 36, True), record(10, 36, False), record(11, 20, False)
    assert sweep_monthly_drafts() == {"queued_again": 0, "abandoned": 2}
    assert MonthlyReportData.objects.get(pk=with_draft.pk).progress == 100  # shown again
    assert not MonthlyReportData.objects.filter(pk=without.pk).exists()  # as before it was asked
    assert MonthlyReportData.objects.get(pk=working.pk).progress == 40


# --- The cache down ---------------------------------------------------------------------------


def test_the_cache_answers_misses_at_once_when_redis_is_down(caplog):
    cache = ResilientRedisCache(f"redis://127.0.0.1:{CLOSED_PORT}/0",
                                {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get("figures", "default") == "default"
        assert cache.set("figures", 1) is None
        assert cache.add("figures", 1) is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.get_or_set("figures", lambda: "computed") == "computed"
        assert cache.delete("figures") is False
        assert cache.has_key("figures") is False
    assert time.monotonic() - started < 5
    assert "Redis unavailable" in caplog.text
    with pytest.raises(Exception):  # noqa: B017 - counters must hear about it
        cache.incr("counter")


def test_the_cache_works_when_redis_answers():
    cache = ResilientRedisCache(settings.CACHES["default"]["LOCATION"],
                                {"KEY_PREFIX": "test-resilient"})
    cache.set("answer", 42, 30)
    assert cache.get("answer") == 42
    cache.delete("answer")


def test_every_environment_uses_the_resilient_cache():
    assert settings.CACHES["default"]["BACKEND"] == "config.cache.ResilientRedisCache"
    from tests.test_deploy import production_env, run_manage

    result = run_manage("shell", "--no-imports", "-c",
                        "from django.conf import settings; "
                        "print(settings.CACHES['default']['BACKEND'])",
                        env=production_env())
    assert result.stdout.strip() == "config.cache.ResilientRedisCache", result.stderr


def test_a_page_works_while_the_cache_is_down(client, reporter, settings):
    settings.CACHES = {"default": {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{CLOSED_PORT}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    from django.core.cache import cache

    client.force_login(reporter)
    cache.set("home", "stale")  # what a page that caches would do: no exception
    assert client.get("/").status_code == 200

