"""Writers for tests/test_sqlite_writers.py, run as their own processes on make run's settings
(config.settings.local, an SQLite file given by DATABASE_URL).

    python tests/sqlite_writers.py setup            the units, people, tasks and period
    python tests/sqlite_writers.py threads GO N     8 threads, N requests each, once GO exists
    python tests/sqlite_writers.py job GO N         N runs of a job (notify, then send emails)

Each "request" is what the report page does, inside one transaction as ATOMIC_REQUESTS makes
it: read the report, save the draft (with its history row), notify someone. Every failure is
printed; the exit status is the number of failures.
"""

import os
import sys
import threading
import time
import traceback
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from reports.models import ReportingPeriod  # noqa: E402
from reports.services import progress_report_save_draft  # noqa: E402
from tasks.models import Task  # noqa: E402
from units.models import User  # noqa: E402
from units.notifications import notify  # noqa: E402

THREADS = 8


def setup():
    from tests.factories import ReportingPeriodFactory, TaskFactory, UnitFactory, UserFactory

    ministry = UnitFactory(code="BYT", name="Bộ Y tế", kind="ministry")
    ReportingPeriodFactory(year=2025, month=11)
    UserFactory(username="leader", role=User.Role.LEADER, unit=ministry, email="l@moh.gov.vn")
    for number in range(THREADS):
        unit = UnitFactory(code=f"BYT-{number}", parent=ministry)
        UserFactory(username=f"reporter{number}", role=User.Role.REPORTER, unit=unit)
        TaskFactory(code=f"1.{number + 1}", lead_unit=unit, deadline=date(2026, 12, 31))


def _wait(go: Path):
    while not go.exists():
        time.sleep(0.01)


def _request(number: int, iteration: int):
    reporter = User.objects.get(username=f"reporter{number}")
    task = Task.objects.get(code=f"1.{number + 1}")
    period = ReportingPeriod.objects.get(year=2025, month=11)
    progress_report_save_draft(
        actor=reporter, task=task, unit=reporter.unit, period=period,
        expected_version=iteration or None, percent_complete=iteration % 100,
        results=f"Lần lưu {iteration}")
    notify(recipients=User.objects.filter(username="leader"), kind="report_workflow",
           key=f"thread-{number}-{iteration}", subject="Báo cáo %(n)s",
           body="Lần %(n)s", params={"n": iteration})


def threads(go: Path, count: int) -> int:
    failures = []

    def run(number):
        try:
            _wait(go)
            for iteration in range(count):
                with transaction.atomic():
                    _request(number, iteration)
        except Exception:  # noqa: BLE001  (every failure is the test's finding)
            failures.append(traceback.format_exc())
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(number,)) for number in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    for failure in failures:
        print(failure, flush=True)
    return len(failures)


def job(go: Path, count: int) -> int:
    from units.jobs import send_notification_emails

    _wait(go)
    try:
        for iteration in range(count):
            with transaction.atomic():
                notify(recipients=User.objects.filter(username="leader"),
                       kind="report_workflow", key=f"job-{iteration}", subject="Việc %(n)s",
                       body="Lần %(n)s", params={"n": iteration})
            send_notification_emails()
    except Exception:  # noqa: BLE001
        print(traceback.format_exc(), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "setup":
        setup()
        sys.exit(0)
    print("ready", flush=True)
    runner = {"threads": threads, "job": job}[command]
    sys.exit(runner(Path(arguments[0]), int(arguments[1])))
