"""Accounts for `make load` (run by scripts/load/run.sh through `manage.py shell`).

One reporter and one leader for each of the units that lead the most tasks (so that no two
simulated reporters write the same report), a few leadership accounts, and a user for the API
client. Every tracked programme is published, and the last closed period's monthly report
issued once (if none was), for the anonymous readers of /public/. Every run starts from the
same place: the load units' reports for the current period are removed, so the reporters find
the same work to do each time. Prints shell assignments that run.sh evaluates. Refuses a
database whose name does not say it is for load testing.
"""

import os
import sys

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from reports.models import IssuedMonthlyReport, ProgressReport, ReportingPeriod
from reports.monthly import monthly_report_issue
from reports.periods import period_open
from tasks.models import Resolution
from tasks.services import resolution_update
from units.models import Unit, User

if "load" not in connection.settings_dict["NAME"]:
    sys.exit(f"Refusing to prepare {connection.settings_dict['NAME']}: not a load-test database.")

PASSWORD = os.environ["LOAD_PASSWORD"]
UNITS = int(os.environ.get("LOAD_UNITS", "30"))


def account(username: str, role: str, unit) -> str:
    user, _ = User.objects.get_or_create(username=username,
                                         defaults={"role": role, "unit": unit})
    user.role, user.unit, user.is_active = role, unit, True
    user.set_password(PASSWORD)
    user.save()
    return username


def apart(candidates) -> list:
    """Units none of which is under another, so no reporter can write another's reports."""
    chosen = []
    for unit in candidates:
        if not any(unit.path.startswith(c.path) or c.path.startswith(unit.path) for c in chosen):
            chosen.append(unit)
        if len(chosen) == UNITS:
            break
    return chosen


units = apart(Unit.objects.exclude(kind=Unit.Kind.COLLECTIVE)
              .annotate(led=Count("led_tasks")).filter(led__gt=0).order_by("-led", "pk")[:2000])
period = period_open(on=timezone.localdate())
cleared, _ = ProgressReport.objects.filter(unit__in=units, period=period).delete()
print(f"{cleared} rows of this period's load reports cleared", file=sys.stderr)
reporters = [account(f"load-reporter-{unit.pk}", User.Role.REPORTER, unit) for unit in units]
leaders = [account(f"load-leader-{unit.pk}", User.Role.LEADER, unit) for unit in units]
leadership = [account(f"load-leadership-{n}", User.Role.LEADERSHIP, None) for n in range(5)]
account("load-api", User.Role.LEADERSHIP, None)
print(f"LOAD_REPORTERS={','.join(reporters)}")
print(f"LOAD_LEADERS={','.join(leaders)}")
print(f"LOAD_LEADERSHIP={','.join(leadership)}")

secretariat = User.objects.filter(role=User.Role.SECRETARIAT, is_active=True).first()
for resolution in Resolution.objects.filter(is_tracked=True, is_public=False):
    resolution_update(resolution=resolution, actor=secretariat, is_public=True)
if not IssuedMonthlyReport.objects.exists():
    closed = ReportingPeriod.objects.filter(submission_deadline__lt=timezone.localdate()).first()
    if closed is not None:
        print(f"Issuing the monthly report of {closed} (once) ...", file=sys.stderr)
        monthly_report_issue(period=closed, actor=secretariat, number="1/BC-LOAD")
