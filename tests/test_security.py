"""Security headers and the Content-Security-Policy on every page, templates that need nothing
inline, sessions that end after inactivity, private pages kept out of caches, and the admin at
the path that DJANGO_ADMIN_URL names.
"""

import importlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from reports.evidence import evidence_add
from tests.factories import ProgressReportFactory, ReportingPeriodFactory, TaskFactory, UserFactory
from tests.test_deploy import production_env, run_manage
from units.models import User

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "r72-test"  # what UserFactory sets
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# --- What a page may not carry under the policy ------------------------------------------------

INLINE_PROBLEMS = {
    "inline <script> (no src)": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "<script> from elsewhere": re.compile(
        r"<script\b[^>]*\bsrc=[\"']?(?:https?:)?//", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style= attribute": re.compile(r"\sstyle\s*=", re.I),
    "on*= event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "hx-on (needs eval)": re.compile(r"\s(?:data-)?hx-on\b", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "stylesheet from elsewhere": re.compile(
        r"<link\b[^>]*\bhref=[\"']?(?:https?:)?//", re.I),
}


def inline_problems(html: str) -> list[str]:
    return [name for name, pattern in INLINE_PROBLEMS.items() if pattern.search(html)]


@pytest.mark.parametrize(("html", "problem"), [
    ("<script>alert(1)</script>", "inline <script> (no src)"),
    ('<script type="module">x()</script>', "inline <script> (no src)"),
    ('<script src="https://cdn.example.com/htmx.js"></script>', "<script> from elsewhere"),
    ("<style>p{}</style>", "<style> element"),
    ('<p style="color:red">', "style= attribute"),
    ('<button onclick="go()">', "on*= event handler"),
    ("<body onload='x()'>", "on*= event handler"),
    ('<form hx-on:submit="x()">', "hx-on (needs eval)"),
    ('<a href="javascript:void(0)">', "javascript: URL"),
    ('<link rel="stylesheet" href="//fonts.example.com/a.css">', "stylesheet from elsewhere"),
])
def test_the_template_check_finds_each_kind_of_inline_code(html, problem):
    assert inline_problems(html) == [problem]
    assert inline_problems('<script src="/static/vendor/htmx/htmx.min.js" defer></script>'
                           '<p class="muted" data-online="1">online</p>') == []


def template_files() -> list[Path]:
    files = sorted((ROOT / "templates").rglob("*.html"))
    for app in ("core", "units", "tasks", "reports", "public", "webhooks", "config"):
        files += sorted((ROOT / app).glob("templates/**/*.html"))
    return files


# WeasyPrint's input for the monthly report PDF: rendered to PDF on the server, never sent to a
# browser (reports/pdf.py), so the browser's policy does not apply to it.
PDF_TEMPLATES = ROOT / "templates" / "reports" / "pdf"


def test_no_template_has_inline_script_style_or_handlers():
    checked = [path for path in template_files() if PDF_TEMPLATES not in path.parents]
    assert len(checked) > 20
    problems = {str(path.relative_to(ROOT)): found for path in checked
                if (found := inline_problems(path.read_text()))}
    assert problems == {}


def test_the_pdf_templates_are_only_rendered_to_pdf():
    users = [path for app in ("config", "core", "units", "tasks", "reports", "public", "webhooks",
                              "accountability")
             for path in (ROOT / app).rglob("*.py") if "reports/pdf/" in path.read_text()]
    assert sorted(str(path.relative_to(ROOT)) for path in users) == [
        "reports/pdf.py", "reports/proposals/pdf.py"]


# --- Headers on every page --------------------------------------------------------------------


def parse_csp(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def assert_security_headers(response):
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def pages(department, reporter, secretariat):
    period = ReportingPeriodFactory(year=2025, month=11)
    report = ProgressReportFactory(task=TaskFactory(lead_unit=department), unit=department,
                                   period=period)
    admin = UserFactory(username="root", role=User.Role.ADMIN, unit=None, is_staff=True,
                        is_superuser=True)
    return {
        None: [reverse("login"), reverse("password_reset"), "/no-such-page/"],
        reporter: ["/", reverse("task_detail", args=[report.task_id]),
                   reverse("report", args=[report.task_id, department.pk, 2025, 11]),
                   reverse("notifications"), reverse("email_preferences"),
                   reverse("password_change"), reverse("monthly_reports")],
        secretariat: [reverse("monthly_reports")],
        admin: [reverse("admin:index"), reverse("admin:units_signinevent_changelist"),
                reverse("admin:tasks_task_changelist")],
    }


def test_every_page_carries_the_policy_and_nothing_inline(client, pages):
    seen = 0
    for user, urls in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 403, 404), url
            assert_security_headers(response)
            if "text/html" in response["Content-Type"]:
                assert inline_problems(response.content.decode()) == [], url
                seen += 1
    assert seen == 14


def test_the_htmx_fragment_carries_the_policy_and_htmx_injects_no_style(client, reporter):
    client.force_login(reporter)
    response = client.get("/", headers={"HX-Request": "true"})
    assert_security_headers(response)
    page = client.get("/").content.decode()
    (config,) = re.findall(r'<meta name="htmx-config" content=\'([^\']+)\'>', page)
    import json

    settings = json.loads(config)
    assert settings["includeIndicatorStyles"] is False
    assert settings["allowEval"] is False
    assert settings["historyCacheSize"] == 0


def test_a_pdf_shown_in_the_browser_has_no_policy_for_its_viewer(client, secretariat):
    ReportingPeriodFactory(year=2025, month=11)
    client.force_login(secretariat)
    response = client.get(reverse("monthly_report_preview", args=[2025, 11]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    # Chrome draws its PDF viewer with inline styles: the site's policy would blank it.
    assert "Content-Security-Policy" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


# --- Private pages ----------------------------------------------------------------------------


def test_pages_of_a_signed_in_user_are_not_stored(client, reporter, department):
    anonymous = client.get(reverse("password_reset_done"))
    assert "Cache-Control" not in anonymous
    client.force_login(reporter)
    for url in ["/", reverse("notifications")]:
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control
    report = ProgressReportFactory(task=TaskFactory(lead_unit=department), unit=department)
    evidence = evidence_add(report=report, actor=reporter,
                            uploaded=SimpleUploadedFile("bien-ban.pdf", PDF_BYTES))
    download = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert "no-store" in download["Cache-Control"]


def test_signing_out_clears_what_the_browser_kept(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "Clear-Site-Data" not in client.get(reverse("login"))


# --- Sessions ---------------------------------------------------------------------------------


def sign_in(client, username: str):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return response


def the_session(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_a_session_lasts_30_minutes_after_the_last_request(client, reporter, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    response = sign_in(client, "reporter")
    cookie = response.cookies["sessionid"]
    # A browser-session cookie: it goes when the browser closes.
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    expiry = the_session(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < expiry <= timedelta(minutes=30)


def test_each_request_pushes_the_end_back(client, reporter):
    sign_in(client, "reporter")
    session = the_session(client)
    # As if the last request had been 25 minutes ago.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get("/").status_code == 200
    expiry = the_session(client).expire_date - timezone.now()
    assert expiry > timedelta(minutes=29)


def test_a_session_idle_for_longer_ends(client, reporter):
    sign_in(client, "reporter")
    # As if the last request had been 31 minutes ago.
    Session.objects.filter(pk=the_session(client).pk).update(
        expire_date=timezone.now() - timedelta(minutes=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_session_idle_timeout_is_a_setting():
    result = run_manage("shell", "--no-imports", "-c",
                        "from django.conf import settings; print(settings.SESSION_COOKIE_AGE, "
                        "settings.SESSION_SAVE_EVERY_REQUEST)",
                        env=production_env(SESSION_IDLE_TIMEOUT="10"))
    assert result.stdout.split() == ["600", "True"], result.stderr


# --- The admin's path -------------------------------------------------------------------------


def test_the_admin_answers_at_the_configured_path_only(client, settings, db):
    import config.urls

    admin = UserFactory(username="root", role=User.Role.ADMIN, unit=None, is_staff=True,
                        is_superuser=True)
    client.force_login(admin)
    settings.ADMIN_URL = "quan-tri-7f3a/"
    try:
        importlib.reload(config.urls)
        clear_url_caches()
        assert client.get("/quan-tri-7f3a/").status_code == 200
        assert client.get("/admin/").status_code == 404
        assert reverse("admin:index") == "/quan-tri-7f3a/"
    finally:
        settings.ADMIN_URL = "admin/"
        importlib.reload(config.urls)
        clear_url_caches()
    assert reverse("admin:index") == "/admin/"


@pytest.mark.parametrize("value", ["/admin/", "admin", "ad min/", "../admin/", ""])
def test_a_malformed_admin_path_is_refused_at_start(value):
    result = run_manage("check", env=production_env(DJANGO_ADMIN_URL=value))
    assert result.returncode != 0
    assert "DJANGO_ADMIN_URL must be a path" in result.stderr
