"""A national-scale programme, generated in bulk, for measuring the dashboard and the lists.

`scale_seed` fills an empty programme with thousands of units in a tree, several resolutions
with their six groups, tens of thousands of tasks and a monthly report for every task, reporting
body and period of its life (the spread leadership meets in practice: completed on time, late,
overdue, in progress on track, behind or stalled, recurring duties done or missed, ongoing tasks,
some tasks not six-clear), and about 200 indicators broken down by province with five years of
values (reports/scale/indicators.py). Rows are written with PostgreSQL's COPY, never through
the per-row services: no audit history, no notifications, no jobs. Everything it writes is
marked: unit codes, resolution numbers and user names start with "SCALE".

Deterministic: the same arguments and seed give the same programme (relative to `today`).
"""

import json
import random
import time
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.text import dmy
from tasks.models import Resolution, Task, TaskGroup
from units.models import User

from ..models import ReportingPeriod
from ..periods import period_get_or_create, period_key_for
from .bulk import MARK, ScaleSummary, copy_rows
from .indicators import write_indicators
from .units import write_units
from .work import REPORT_COLUMNS, report_rows, write_tasks

RESOLUTIONS = 5


def _six_groups() -> list[tuple[str, str]]:
    """The six groups' wording, as the reference data ships it."""
    data = json.loads((Path(settings.BASE_DIR) / "fixtures" / "reference.json")
                      .read_text(encoding="utf-8"))
    return [(group["name"], group["name_en"]) for group in data["six_groups"]]


class ScaleRefused(Exception):
    """The database is not one seed_scale may fill (the message says why)."""


def scale_is_seeded() -> bool:
    """Whether seed_scale has filled this database."""
    return Resolution.objects.filter(number__startswith=f"{MARK}-").exists()


def scale_check_can_seed() -> None:
    """Refuse anything but an empty programme on PostgreSQL (raises ScaleRefused)."""
    if connection.vendor != "postgresql":
        raise ScaleRefused("seed_scale writes with PostgreSQL's COPY: point DATABASE_URL at a "
                           "PostgreSQL database.")
    if scale_is_seeded():
        raise ScaleRefused("This database already holds the scale programme: nothing to do.")
    tasks = Task.objects.count()
    if tasks:
        raise ScaleRefused(f"This database already holds a programme ({tasks} tasks): seed_scale "
                           "only fills an empty one. Use a new database for it.")


def _periods(months: int, today: date) -> list[ReportingPeriod]:
    year, month = period_key_for(today, cutoff_day=settings.REPORTING_CUTOFF_DAY)
    keys = []
    for _ in range(months):
        keys.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return [period_get_or_create(year=y, month=m) for y, m in reversed(keys)]


@transaction.atomic
def scale_seed(*, tasks: int, units: int, months: int, today: date, seed: int = 72,
               indicators: int = 200, progress=None) -> ScaleSummary:
    """Fill an empty programme with `tasks` tasks, about `units` units, `months` monthly
    periods of reports up to the one containing `today` and `indicators` indicators with their
    values. All or nothing (one transaction).

    Raises ScaleRefused when the database is not an empty PostgreSQL programme.
    """
    started = time.perf_counter()
    say = progress or (lambda message: None)
    scale_check_can_seed()
    rng = random.Random(seed)
    now = timezone.now()
    summary = ScaleSummary()

    periods = _periods(months, today)
    summary.periods = len(periods)
    first = periods[0].starts_on
    tree = write_units(rng, units, now)
    summary.units = len(tree.active)
    say(f"{units} units written")

    resolutions, groups = [], {}
    spacing = max(1, (today - first).days // RESOLUTIONS)
    for number in range(RESOLUTIONS):
        resolution = Resolution.objects.create(
            number=f"{MARK}-{number + 1:02d}/CTr", kind=Resolution.Kind.PLAN, issuer="Chính phủ",
            title=f"Chương trình hành động quy mô quốc gia số {number + 1} (dữ liệu đo hiệu năng)",
            title_en=f"National-scale action programme no. {number + 1} (benchmark data)",
            issued_on=first + timedelta(days=spacing * number),
            note=f"seed_scale on {dmy(today)}: {tasks} tasks, {units} units, {months} months.")
        resolutions.append(resolution)
        groups[resolution.pk] = TaskGroup.objects.bulk_create(
            TaskGroup(resolution=resolution, number=index + 1, name=name, name_en=name_en)
            for index, (name, name_en) in enumerate(_six_groups()))

    users = {}
    for role in ("reporter", "leader", "secretariat", "leadership"):
        user = User(username=f"{MARK.lower()}.{role}", full_name=f"Tài khoản {role} (quy mô)",
                    role=role, unit_id=tree.departments[0] if tree.departments
                    else tree.ministries[0], email=f"{MARK.lower()}.{role}@example.org")
        user.set_unusable_password()
        user.save()
        users[role] = user.pk

    plans = write_tasks(rng, count=tasks, units=tree, resolutions=resolutions, groups=groups,
                   today=today, now=now, summary=summary)
    summary.tasks = len(plans)
    say(f"{tasks} tasks written")
    copy_rows("reports_progressreport", REPORT_COLUMNS,
          report_rows(rng, plans, periods, today, users, summary))
    say(f"{summary.reports} reports written")
    if indicators:
        summary.indicators = write_indicators(
            rng, count=indicators, resolutions=resolutions, groups=groups,
            provinces=tree.provinces, responsible=tree.ministries, today=today, now=now,
            users=users)
        say(f"{indicators} indicators written")
    summary.seconds = time.perf_counter() - started
    return summary


def scale_analyze() -> None:
    """Vacuum the tables just filled and refresh the planner's statistics (after the commit):
    index-only scans need the visibility map a bulk load lacks, and the queue of stale tasks
    (tasks.facts), which the load filled and emptied once per report, would otherwise be read
    page by empty page on every request until autovacuum comes (never, where it is off)."""
    with connection.cursor() as cursor:
        for table in ("units_unit", "units_unit_members", "tasks_task",
                      "tasks_task_coordinating_units", "tasks_output",
                      "tasks_occurrencecompletion", "reports_progressreport",
                      "reports_reportingperiod", "indicators_indicator",
                      "indicators_indicatortarget", "indicators_indicator_breakdown_units",
                      "indicators_indicatorvalue", "tasks_taskfacts", "tasks_taskfactsstale"):
            # VACUUM cannot run in a transaction (a test's): the statistics alone, there.
            cursor.execute(f"{'' if connection.in_atomic_block else 'VACUUM '}ANALYZE {table}")
