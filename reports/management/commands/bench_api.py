"""Time the REST API over HTTP, through gunicorn, on the scale programme (used by `make bench`).

Starts gunicorn as the image runs it (config.wsgi, production settings, `--workers` 2 for the
project's 2 cores) on a free loopback port against the database of the settings, issues a read
token for the scale programme's leadership account (revoked at the end), and times, with
`X-Forwarded-Proto: https` as the TLS proxy sends it:

- 100 tasks by deadline;
- 100 overdue tasks by deadline;
- the tasks of one unit (the lead unit of the most tasks) and the units under it;
- one task's progress reports (the task with the most), 100 a page.

Prints p50 and p95 of each against the budget (p50 60 ms, p95 120 ms). The database must hold
the scale programme (`bench_dashboard` seeds it).
"""

import http.client
import math
import os
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from reports.models import ProgressReport
from reports.scale import scale_is_seeded
from tasks.models import Task
from units.models import User
from units.services import api_token_issue, api_token_revoke

#: The budget of every call (milliseconds).
P50_BUDGET, P95_BUDGET = 60, 120


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = ("Time API calls over HTTP through gunicorn on the scale programme; prints p50/p95 "
            "of each against the budget.")

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=60, help="Requests per call.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")

    def handle(self, *args, requests, workers, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark measures PostgreSQL: set DATABASE_URL to one.")
        if not scale_is_seeded():
            raise CommandError("No scale programme here: run bench_dashboard first.")
        user = User.objects.filter(username="scale.leadership").first()
        if user is None:
            raise CommandError("The scale programme's leadership account is missing.")
        unit_id = (Task.objects.values("lead_unit_id").annotate(n=Count("pk"))
                   .order_by("-n", "lead_unit_id").values_list("lead_unit_id", flat=True)[0])
        task_id = (ProgressReport.objects.values("task_id").annotate(n=Count("pk"))
                   .order_by("-n", "task_id").values_list("task_id", flat=True)[0])
        calls = [
            ("100 tasks by deadline", "/api/v1/tasks/?ordering=deadline&page_size=100"),
            ("100 overdue tasks by deadline",
             "/api/v1/tasks/?status=overdue&ordering=deadline&page_size=100"),
            ("one unit's tasks", f"/api/v1/tasks/?unit={unit_id}&page_size=100"),
            ("one task's reports", f"/api/v1/progress-reports/?task={task_id}&page_size=100"),
            ("100 indicators", "/api/v1/indicators/?page_size=100"),
            ("100 indicator values", "/api/v1/indicator-values/?page_size=100"),
        ]
        token, raw = api_token_issue(user=user, scope="read", name="benchmark",
                                     expires_at=timezone.now() + timedelta(hours=2))
        port = _free_port()
        server = self._start(port, workers)
        try:
            self.stdout.write(f"{Task.objects.count()} tasks; {requests} requests per call "
                              f"(gunicorn, {workers} workers, settings "
                              f"{settings.SETTINGS_MODULE}).")
            for label, path in calls:
                p50, p95, size = self._time(port, path, raw, requests)
                verdict = "ok" if p50 <= P50_BUDGET and p95 <= P95_BUDGET else "OVER BUDGET"
                self.stdout.write(f"{label:32s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                                  f"({size // 1024} KB)  {verdict}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            api_token_revoke(token=token, actor=None)

    def _start(self, port: int, workers: int) -> subprocess.Popen:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
                       # The benchmark's own rate is not what is measured.
                       "API_THROTTLE_TOKEN": "1000000/minute"}
        server = subprocess.Popen(
            [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "60", "--graceful-timeout", "30",
             "--worker-tmp-dir", "/dev/shm", "--log-level", "warning"],
            cwd=settings.BASE_DIR, env=environment, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("gunicorn did not start.")
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/healthz")
                if probe.getresponse().status in (200, 503):
                    return server
            except OSError:
                time.sleep(0.3)
        server.terminate()
        raise CommandError("gunicorn did not answer within 60 s.")

    def _time(self, port: int, path: str, raw: str, requests: int):
        headers = {"Authorization": f"Bearer {raw}", "X-Forwarded-Proto": "https",
                   "Host": "127.0.0.1", "Accept": "application/json"}
        link = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

        def get() -> bytes:
            link.request("GET", path, headers=headers)
            response = link.getresponse()
            body = response.read()
            if response.status != 200:
                raise CommandError(f"{path} answered {response.status}: {body[:300]!r}")
            return body

        for _ in range(6):  # every worker warmed up
            get()
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            body = get()
            timings.append((time.perf_counter() - started) * 1000)
        link.close()
        return statistics.median(timings), _percentile(timings, 0.95), len(body)
