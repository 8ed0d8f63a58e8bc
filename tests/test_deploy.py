"""The deployment: the image, the compose stack, production settings and the health endpoint.

There is no Docker engine on the test machines, so the image and the stack are checked by reading
their files and by running their commands here, against the local PostgreSQL and Redis.
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from config.celery_app import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
CLOSED_BROKER_URL = "redis://127.0.0.1:6390/0"
APP_SERVICES = ("web", "worker", "beat")


def production_env(**overrides: str) -> dict[str, str]:
    """The process environment with every project variable replaced by realistic production ones.

    Values are set explicitly (never merely removed) because base.py also reads a developer's
    .env file, and real variables win over it.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "REPORTING_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "EVIDENCE_MAX_BYTES"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=LOCAL_DATABASE_URL,
        DJANGO_ALLOWED_HOSTS="tracker.example.gov.vn",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    env.update(overrides)
    return env


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


# --- docker-compose.yml ---


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def service_env(service: dict) -> dict:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return env


def named_volume_mounts(compose: dict, service: str) -> dict[str, str]:
    """target path -> volume name, for the service's mounts of top-level named volumes."""
    mounts = {}
    for volume in compose["services"][service].get("volumes", []):
        source, _, target = volume.partition(":")
        if source in (compose.get("volumes") or {}):
            mounts[target.split(":")[0]] = source
    return mounts


def test_compose_defines_the_stack(compose):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(compose["services"])


@pytest.mark.parametrize("service", ["postgres", "redis", "web", "worker"])
def test_compose_services_have_health_checks(compose, service):
    assert compose["services"][service]["healthcheck"]["test"]


def test_compose_web_health_check_probes_healthz_over_the_proxy_scheme(compose):
    command = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in command
    assert "X-Forwarded-Proto" in command


def test_compose_keeps_the_database_and_media_on_named_volumes(compose):
    assert "/var/lib/postgresql/data" in named_volume_mounts(compose, "postgres")
    for service in ("web", "worker"):
        media_root = service_env(compose["services"][service])["DJANGO_MEDIA_ROOT"]
        assert named_volume_mounts(compose, service).get(media_root) == "media"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_app_services_share_the_environment(compose, service):
    definition = compose["services"][service]
    env = service_env(definition)
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    # Compose refuses to start without a secret key rather than running with an empty one.
    assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    assert definition["restart"] == "unless-stopped"
    for dependency in ("postgres", "redis"):
        assert definition["depends_on"][dependency]["condition"] == "service_healthy"
    assert definition["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_migrates_once_before_the_app_starts(compose):
    migrate = compose["services"]["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert service_env(migrate)["DATABASE_URL"] == service_env(compose["services"]["web"])[
        "DATABASE_URL"
    ]


def test_compose_runs_celery_worker_and_beat(compose):
    assert compose["services"]["worker"]["command"][:5] == ["celery", "-A", "config", "worker",
                                                           "-l"]
    beat = compose["services"]["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "config", "beat"]
    assert beat[beat.index("--schedule") + 1] == "/app/var/celerybeat-schedule"


# --- Dockerfile ---


@pytest.fixture(scope="module")
def dockerfile() -> str:
    # Continuation lines joined, so that each instruction is one line.
    return (ROOT / "Dockerfile").read_text().replace("\\\n", " ")


def dockerfile_cmd(dockerfile: str) -> list[str]:
    (cmd,) = re.findall(r"^CMD\s+(\[.*\])\s*$", dockerfile, flags=re.MULTILINE)
    return json.loads(cmd)


def test_image_starts_gunicorn_with_the_wsgi_app(dockerfile):
    cmd = dockerfile_cmd(dockerfile)
    assert cmd[0] == "gunicorn"
    assert "config.wsgi:application" in cmd
    assert cmd[cmd.index("--bind") + 1] == "0.0.0.0:8000"
    assert cmd[cmd.index("--access-logfile") + 1] == "-"


def test_image_uses_production_settings_as_a_non_root_user(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim-bookworm\b", dockerfile, flags=re.MULTILINE)
    assert re.search(r"\bDJANGO_SETTINGS_MODULE=config\.settings\.production\b", dockerfile)
    (user,) = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert user not in {"root", "0"}
    assert "uv sync --frozen --no-dev" in dockerfile
    assert "collectstatic --noinput" in dockerfile


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", ".tools", "var", ".git", ".env"} <= ignored


def test_image_build_steps_succeed_with_the_build_environment(tmp_path):
    """The Dockerfile's collectstatic, run here with the same dummy settings and storage."""
    env = production_env(
        DJANGO_SECRET_KEY="build-only-not-a-secret",
        DATABASE_URL=f"sqlite:///{tmp_path / 'build.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )
    result = run_manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
    # The manifest that whitenoise's CompressedManifestStaticFilesStorage serves from.
    assert (tmp_path / "static" / "staticfiles.json").is_file()
    assert not (tmp_path / "build.sqlite3").exists()


# --- Production settings ---


def test_production_settings_pass_the_deployment_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert not re.search(r"\b[a-z_]+\.[WE]\d{3}\b", output), output
    assert "no issues" in output


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_manage("check", env=production_env(DJANGO_SECRET_KEY=""))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


# --- /healthz ---


def test_healthz_answers_ok_when_database_and_broker_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_broker_refuses(client, db, monkeypatch):
    # Celery prefers these variables to its configuration; the app's own setting is changed by
    # assignment because monkeypatch.setattr on app.conf breaks at teardown.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    broker_url = celery_app.conf.broker_url
    celery_app.conf.broker_url = CLOSED_BROKER_URL
    try:
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    finally:
        celery_app.conf.broker_url = broker_url
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}
    assert elapsed < 2


def test_healthz_needs_no_login_and_only_reads(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_image_command_passes_the_compose_health_check(dockerfile, compose, tmp_path):
    """The image's gunicorn command with production settings, probed by the web health check."""
    port = free_port()
    cmd = dockerfile_cmd(dockerfile)
    cmd[0] = str(Path(sys.executable).with_name("gunicorn"))
    cmd[cmd.index("--bind") + 1] = f"127.0.0.1:{port}"
    env = production_env(DJANGO_STATIC_ROOT=str(tmp_path / "static"), WEB_CONCURRENCY="1")
    probe = compose["services"]["web"]["healthcheck"]["test"]
    assert probe[:3] == ["CMD", "python", "-c"]
    probe_code = probe[3].replace("127.0.0.1:8000", f"127.0.0.1:{port}")

    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, server.stdout.read()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        result = subprocess.run([sys.executable, "-c", probe_code], env=env,
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        # Without the proxy's header, plain HTTP is redirected to HTTPS everywhere but /healthz.
        request = ("GET /accounts/login/ HTTP/1.1\r\nHost: tracker.example.gov.vn\r\n"
                   "Connection: close\r\n\r\n")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(request.encode())
            status_line = sock.makefile("rb").readline().decode()
        assert " 301 " in status_line
    finally:
        server.terminate()
        try:
            output, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
    # Access log lines on stdout, as the compose logs show them.
    assert "/healthz" in output


# --- Production security headers and cookies ---

PRODUCTION_PAGES = """
import json
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from units.models import User

host = {"HTTP_HOST": "tracker.example.gov.vn"}
# Pages render without collectstatic's manifest here; everything else is production's.
static = override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}})
with static, transaction.atomic():
    User.objects.create_user("deploy.check", password="Mot-mat-khau-dai-2031",
                             role=User.Role.SECRETARIAT)
    client = Client()
    page = client.get("/accounts/login/", secure=True, **host)
    signed_in = client.post("/accounts/login/", {"username": "deploy.check",
                            "password": "Mot-mat-khau-dai-2031"}, secure=True, **host)
    language = client.post("/i18n/setlang/", {"language": "en"}, secure=True, **host)
    plain = Client().get("/accounts/login/", **host)
    transaction.set_rollback(True)

def cookies(response):
    return {name: {key: morsel[key] for key in ("secure", "httponly", "samesite", "path",
                                                 "domain", "max-age", "expires")}
            for name, morsel in response.cookies.items()}

out = {"headers": dict(page.headers), "cookies": cookies(page),
       "session": cookies(signed_in), "language": cookies(language),
       "plain": [plain.status_code, plain.headers.get("Location")]}
print(json.dumps(out))
"""


def test_production_pages_carry_the_security_headers_and_secure_cookies(db):
    from django.db import connection

    db = connection.settings_dict
    env = production_env(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    result = run_manage("shell", "--no-imports", "-c", PRODUCTION_PAGES, env=env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Request-ID"]
    # Cookies only over HTTPS, bound to this host (__Host-), out of reach of scripts.
    csrf = seen["cookies"]["__Host-csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    assert csrf["path"] == "/" and csrf["domain"] == ""
    session = seen["session"]["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["path"] == "/" and session["domain"] == ""
    assert session["max-age"] == "" and session["expires"] == ""  # ends with the browser
    assert seen["language"]["django_language"]["secure"]
    # Plain HTTP is sent to HTTPS.
    assert seen["plain"] == [301, "https://tracker.example.gov.vn/accounts/login/"]


def test_compose_passes_the_security_settings_through(compose):
    env = service_env(compose["services"]["web"])
    for variable in ("SESSION_IDLE_TIMEOUT", "SIGNIN_FAILURE_LIMIT", "SIGNIN_COOLOFF_MINUTES",
                     "PASSWORD_MIN_LENGTH", "DJANGO_TRUSTED_PROXY_COUNT", "DJANGO_LOG_FORMAT",
                     "DJANGO_ADMIN_URL"):
        assert variable in env, variable
    # Backups taken in the web container land on a volume of their own.
    assert named_volume_mounts(compose, "web").get(env["BACKUP_DIR"]) == "backups"
