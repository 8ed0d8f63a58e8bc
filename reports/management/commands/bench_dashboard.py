"""Time the dashboard and the task list at national scale (used by `make bench`).

Seeds the scale programme once (seed_scale's defaults: 20,000 tasks, 2,000 units, 60 months;
skipped when the database already holds it), then requests pages through the whole stack (the
Django test client: every middleware, a signed-in session, the templates) and prints p50 and p95
of each, and their ratio to a trivial signed-in page:

- the dashboard as leadership opens it again (its figures cached: nothing changed since);
- the dashboard just after the data changed (a task edited through its service, then what
  follows every write: the facts settled and leadership's first screen computed again, by the
  writer; the writer's cost is printed too);
- the dashboard filtered (one resolution), just after a change (computed by the reader) and
  cached;
- the task list filtered (overdue tasks of one resolution, by deadline), and its first page.
"""

import math
import statistics
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from reports.scale import scale_is_seeded
from tasks.facts import writes_settled
from tasks.models import Resolution, Task
from tasks.services import task_update
from units.models import User


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Command(BaseCommand):
    help = ("Time the dashboard and the task list on the scale programme (seeded once), through "
            "the whole stack with a signed-in session; prints p50/p95 and the ratio to a "
            "trivial page.")

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=40,
                            help="Requests per page (the cold dashboard: a third of them).")
        parser.add_argument("--tasks", type=int, default=20000)
        parser.add_argument("--units", type=int, default=2000)
        parser.add_argument("--months", type=int, default=60)

    def handle(self, *args, requests, tasks, units, months, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark measures PostgreSQL: set DATABASE_URL to one.")
        if not scale_is_seeded():
            self.stdout.write(f"Seeding the scale programme ({tasks} tasks, {units} units, "
                              f"{months} months); this runs once per database.")
            started = time.perf_counter()
            call_command("seed_scale", tasks=tasks, units=units, months=months, force=True,
                         stdout=self.stdout)
            with connection.cursor() as cursor:
                # Index-only scans need the visibility map a fresh bulk load lacks.
                cursor.execute("VACUUM ANALYZE reports_progressreport")
            self.stdout.write(f"Seeded in {time.perf_counter() - started:.0f} s.")
        user = User.objects.filter(username="scale.leadership").first()
        if user is None:
            raise CommandError("The scale programme's leadership account is missing.")
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS
                        and settings.ALLOWED_HOSTS[0] != "*" else "localhost")
        client.force_login(user)
        resolution = Resolution.objects.filter(number__startswith="SCALE-").order_by("pk")
        first = resolution.first()
        touched = Task.objects.filter(resolution=first).order_by("pk").first()
        self.stdout.write(f"{Task.objects.count()} tasks; {requests} requests per page "
                          f"(Django test client, settings {settings.SETTINGS_MODULE}).")

        secretariat = User.objects.filter(is_superuser=True).first() or user
        writes = []

        def change():
            # A task edited through its service, then what the middleware does after a request
            # that wrote (tasks.facts.writes_settled: the facts settled, leadership's first
            # screen computed again), timed apart as the writer's cost.
            started = time.perf_counter()
            with transaction.atomic():
                task_update(task=Task.objects.get(pk=touched.pk), actor=secretariat,
                            notes=f"bench {len(writes)}")
            writes_settled()
            writes.append((time.perf_counter() - started) * 1000)

        pages = [
            ("trivial signed-in page", reverse("password_change"), requests, None),
            ("dashboard, cached", reverse("dashboard"), requests, None),
            ("dashboard, data just changed", reverse("dashboard"), max(5, requests // 3),
             change),
            ("dashboard filtered, data just changed",
             f"{reverse('dashboard')}?resolution={first.pk}", max(5, requests // 3), change),
            ("dashboard filtered, cached", f"{reverse('dashboard')}?resolution={first.pk}",
             requests, None),
            ("task list filtered", f"{reverse('tasks:list')}?status=overdue&resolution="
             f"{first.pk}&ordering=deadline", requests, None),
            ("task list, first page", reverse("tasks:list"), requests, None),
        ]
        results = {}
        for label, url, count, before in pages:
            response = client.get(url, secure=True)  # warm up (and fill the cache)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            timings = []
            for _ in range(count):
                if before:
                    before()
                started = time.perf_counter()
                response = client.get(url, secure=True)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            results[label] = (statistics.median(timings), _percentile(timings, 0.95),
                              len(response.content))
        if writes:
            results["the change itself (writer)"] = (statistics.median(writes),
                                                      _percentile(writes, 0.95), 0)
        base = results["trivial signed-in page"][0]
        for label, (p50, p95, size) in results.items():
            self.stdout.write(f"{label:40s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                              f"x{p50 / base:5.1f} the trivial page  ({size // 1024} KB)")
