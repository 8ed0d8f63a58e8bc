"""Structured logs: every line written while a request is handled carries its request id (the
response's X-Request-ID), every line of a job its job id; LOG_FORMAT=json writes one JSON object
per line (production's default).
"""

import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.urls import include, path

from config.logs import ContextFilter, JsonFormatter, TextFormatter, request_id_from
from tests.celery_worker import Worker, send
from tests.test_deploy import production_env
from units.jobs import send_notification_emails

ROOT = Path(__file__).resolve().parent.parent
view_logger = logging.getLogger("tests.view")


def logging_view(request):
    view_logger.warning("inside the view, for %s", request.path, extra={"answer": 42})
    return HttpResponse("logged")


urlpatterns = [path("logging-view/", logging_view), path("", include("config.urls"))]
handler500 = "config.views.server_error"


@pytest.fixture
def json_lines():
    """The lines the root logger writes, through the project's JSON formatter and filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.mark.urls(__name__)
def test_a_line_logged_in_a_view_is_json_with_the_request_id_of_the_response(client, json_lines,
                                                                              db):
    response = client.get("/logging-view/")
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)

    lines = json_lines()
    (line,) = [line for line in lines if line["logger"] == "tests.view"]
    assert line["message"] == "inside the view, for /logging-view/"
    assert line["level"] == "WARNING"
    assert line["request_id"] == request_id
    assert line["answer"] == 42
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", line["timestamp"])
    # The request's own line: method, path, status, duration, under the same id.
    (access,) = [line for line in lines if line["logger"] == "requests"]
    assert access["request_id"] == request_id
    assert (access["method"], access["path"], access["status"]) == ("GET", "/logging-view/", 200)
    assert isinstance(access["duration_ms"], int)


@pytest.mark.urls(__name__)
def test_each_request_has_its_own_id_and_lines_outside_requests_have_none(client, json_lines,
                                                                         db):
    first = client.get("/logging-view/")["X-Request-ID"]
    second = client.get("/logging-view/")["X-Request-ID"]
    assert first != second
    logging.getLogger("tests.view").warning("outside any request")
    ids = [line.get("request_id") for line in json_lines() if line["logger"] == "tests.view"]
    assert ids == [first, second, None]


@pytest.mark.parametrize(("sent", "kept"), [
    ("3f2a9c1e-7b4d-4f0a-9e8c-1d2b3c4d5e6f", True),
    ("Root=1-67891233-abcdef012345678912345678", True),
    ("a" * 128, True),
    ("a" * 129, False),
    ("id with spaces", False),
    ('x"} {"level": "CRITICAL', False),
    ("<script>", False),
    ("line\nbreak", False),
    ("", False),
])
def test_a_sane_x_request_id_is_kept_anything_else_replaced(client, sent, kept, db):
    response = client.get("/accounts/login/", headers={"X-Request-ID": sent})
    if kept:
        assert response["X-Request-ID"] == sent
    else:
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert request_id_from(sent if kept else None) != ""


def test_the_access_line_hides_a_password_reset_token(client, json_lines, db):
    client.get("/accounts/reset/MQ/secret-token-abc123/")
    (access,) = [line for line in json_lines() if line["logger"] == "requests"]
    assert access["path"] == "/accounts/reset/<uidb64>/<token>/"
    assert "secret-token-abc123" not in json.dumps(json_lines())


def test_the_text_format_shows_the_ids_when_there_are_some():
    formatter, context = TextFormatter(), ContextFilter()
    record = logging.LogRecord("jobs", logging.INFO, __file__, 1, "job %s started", ("x",), None)
    context.filter(record)
    assert formatter.format(record).endswith("INFO jobs job x started")
    record.request_id, record.job_id = "abc", "def"
    assert formatter.format(record).endswith("job x started [request_id=abc job_id=def]")


def test_log_format_picks_the_formatter():
    from config.logs import logging_config

    assert logging_config(log_format="json", level="INFO")["formatters"]["default"]["()"] == (
        "config.logs.JsonFormatter")
    assert logging_config(log_format="text", level="INFO")["formatters"]["default"]["()"] == (
        "config.logs.TextFormatter")


def test_a_job_run_logs_its_job_id(json_lines, db):
    result = send_notification_emails.apply()
    lines = [line for line in json_lines() if line["logger"] == "jobs"]
    assert [line["event"] for line in lines] == ["started", "finished"]
    assert {line["job_id"] for line in lines} == {result.id}
    assert lines[1]["job"] == "units.send_notification_emails"
    assert lines[1]["counts"] == {"sent": 0}
    assert "request_id" not in lines[0]


def test_a_real_worker_writes_json_lines_with_the_job_id(transactional_db):
    queue = f"test-logging-{os.getpid()}"
    worker = Worker(queue, DJANGO_LOG_FORMAT="json")
    try:
        assert worker.wait_for("ready", timeout=30), "".join(worker.log)
        sent = send(send_notification_emails, queue_name=queue)
        assert worker.wait_for('"event": "finished"', timeout=30), "".join(worker.log)
    finally:
        worker.stop()
    lines = [json.loads(line) for line in worker.log if line.startswith("{")]
    jobs = [line for line in lines if line.get("logger") == "jobs"]
    assert [line["event"] for line in jobs] == ["started", "finished"]
    assert {line["job_id"] for line in jobs} == {sent.id}
    # Celery's own lines go through the same formatter, not Celery's.
    assert any(line["logger"].startswith("celery") for line in lines)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_production_writes_json_lines_with_the_request_id(tmp_path):
    """gunicorn with production settings (LOG_FORMAT defaults to json): the lines a view writes
    (here the health check, finding the broker down) are JSON, under the request's X-Request-ID."""
    port = free_port()
    env = production_env(DJANGO_STATIC_ROOT=str(tmp_path / "static"),
                         CELERY_BROKER_URL="redis://127.0.0.1:6390/0")
    log = tmp_path / "gunicorn.log"
    with log.open("w") as stream:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT, env=env, stdout=stream, stderr=stream, text=True)
        try:
            deadline = time.monotonic() + 30
            while True:
                assert server.poll() is None, log.read_text()
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "gunicorn did not start"
                    time.sleep(0.2)
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/healthz",
                headers={"Host": "tracker.example.gov.vn", "X-Request-ID": "probe-7f3a"})
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(request, timeout=20)
            assert answer.value.code == 503
            assert answer.value.headers["X-Request-ID"] == "probe-7f3a"
        finally:
            server.terminate()
            server.wait(timeout=30)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == "probe-7f3a"]
    assert {line["logger"] for line in mine} >= {"config.views", "requests"}, log.read_text()
    warning = next(line for line in mine if line["logger"] == "config.views")
    assert warning["level"] == "WARNING"
    assert warning["message"] == "Health check: the broker is unavailable."
    assert "exc_info" in warning  # the traceback, inside the one JSON line
