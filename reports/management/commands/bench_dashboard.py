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
- the task list filtered (overdue tasks of one resolution, by deadline), and its first page;
- as the scale programme's reporter: my tasks (the home page) and the report page of a task
  their unit leads, for the current period;
- the indicator list (`/indicators/`: every indicator with its trend and track status) and the
  dashboard's indicators (`/dashboard/indicators/`), cached and just after a change.

`--tasks` is the size seeded into an empty database; `make bench` runs it on two databases
(`BENCH_DATABASE_URL`, 20,000 tasks, and `BENCH5K_DATABASE_URL`, 5,000) to show how the pages
grow with the programme.
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
from django.utils import timezone

from reports.periods import period_for_date
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
        parser.add_argument("--only", nargs="*", default=[], metavar="WORD",
                            help="Only the pages whose name holds one of these words (the "
                                 "trivial page is always timed).")

    def handle(self, *args, requests, tasks, units, months, only, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark measures PostgreSQL: set DATABASE_URL to one.")
        if not scale_is_seeded():
            self.stdout.write(f"Seeding the scale programme ({tasks} tasks, {units} units, "
                              f"{months} months); this runs once per database.")
            started = time.perf_counter()
            call_command("seed_scale", tasks=tasks, units=units, months=months, force=True,
                         stdout=self.stdout)
            self.stdout.write(f"Seeded in {time.perf_counter() - started:.0f} s.")
        user = User.objects.filter(username="scale.leadership").first()
        if user is None:
            raise CommandError("The scale programme's leadership account is missing.")
        reporter = User.objects.filter(username="scale.reporter").select_related("unit").first()
        if reporter is None:
            raise CommandError("The scale programme's reporter account is missing.")
        host = (settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS
                and settings.ALLOWED_HOSTS[0] != "*" else "localhost")
        client, reporter_client = Client(HTTP_HOST=host), Client(HTTP_HOST=host)
        client.force_login(user)
        reporter_client.force_login(reporter)
        # The reporter's unit's own report, this period, on the first task it leads.
        led = (Task.objects.filter(lead_unit__path__startswith=reporter.unit.path)
               .order_by("pk").first())
        if led is None:
            raise CommandError("The scale reporter's unit leads no task.")
        period = period_for_date(on=timezone.localdate())
        report_url = reverse("report", args=[led.pk, led.lead_unit_id, period.year,
                                             period.month])
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
            ("trivial signed-in page", reverse("password_change"), requests, None, client),
            ("dashboard, cached", reverse("dashboard"), requests, None, client),
            ("dashboard, data just changed", reverse("dashboard"), max(5, requests // 3),
             change, client),
            ("dashboard filtered, data just changed",
             f"{reverse('dashboard')}?resolution={first.pk}", max(5, requests // 3), change,
             client),
            ("dashboard filtered, cached", f"{reverse('dashboard')}?resolution={first.pk}",
             requests, None, client),
            ("task list filtered", f"{reverse('tasks:list')}?status=overdue&resolution="
             f"{first.pk}&ordering=deadline", requests, None, client),
            ("task list, first page", reverse("tasks:list"), requests, None, client),
            ("my tasks (reporter)", reverse("home"), requests, None, reporter_client),
            ("report page (reporter)", report_url, requests, None, reporter_client),
            ("indicator list", reverse("indicators:list"), requests, None, client),
            ("dashboard indicators, cached", reverse("dashboard_indicators"), requests, None,
             client),
            ("dashboard indicators, data just changed", reverse("dashboard_indicators"),
             max(5, requests // 3), change, client),
        ]
        pages = [page for page in pages if page is pages[0]
                 or not only or any(word in page[0] for word in only)]
        trivial_url = pages[0][1]

        def timed(url, page_client) -> tuple[float, object]:
            started = time.perf_counter()
            response = page_client.get(url, secure=True)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200
            return elapsed, response

        results = {}
        for label, url, count, before, page_client in pages:
            response = page_client.get(url, secure=True)  # warm up (and fill the cache)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            # The trivial page is timed between the page's requests, so that the ratio compares
            # the two under the same load (the machine may be shared).
            timings, beside = [], []
            for _ in range(count):
                if before:
                    before()
                elapsed, response = timed(url, page_client)
                timings.append(elapsed)
                beside.append(timed(trivial_url, client)[0])
            results[label] = (statistics.median(timings), _percentile(timings, 0.95),
                              statistics.median(beside), len(response.content))
        if writes:
            trivial = results["trivial signed-in page"][2] if "trivial signed-in page" in \
                results else 1.0
            results["the change itself (writer)"] = (statistics.median(writes),
                                                      _percentile(writes, 0.95), trivial, 0)
        for label, (p50, p95, base, size) in results.items():
            self.stdout.write(f"{label:40s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                              f"x{p50 / base:5.1f} the trivial page  ({size // 1024} KB)")
