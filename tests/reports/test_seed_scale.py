"""seed_scale: a national-scale programme written in bulk, refused where it does not belong; and
on what it writes, the dashboard's SQL and the rules agree."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone

from reports.dashboard import compliance_counts
from reports.dashboard.figures import SETS, figures_rows
from reports.dashboard.overview import dashboard_window
from reports.models import ProgressReport, ReportingPeriod
from reports.periods import period_for_date
from reports.scale import scale_is_seeded
from tasks.models import Task
from tasks.rules import task_clarity_gaps
from tests.factories import TaskFactory
from tests.reports import reference_figures as reference
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_scale", tasks=150, units=40, months=24, verbosity=0)
    connection.check_constraints()  # the deferred foreign keys hold
    return Task.objects.all()


def test_it_fills_an_empty_programme(seeded):
    assert scale_is_seeded()
    assert seeded.count() == 150
    assert Unit.objects.filter(code__startswith="SCALE-").count() == 40
    assert ReportingPeriod.objects.count() == 24
    today = timezone.localdate()
    assert ReportingPeriod.objects.filter(pk=period_for_date(on=today).pk).exists()
    # A report for each task and period of its life, in every state.
    assert ProgressReport.objects.count() > 150 * 2
    states = Counter(ProgressReport.objects.values_list("state", flat=True))
    assert set(states) == {"approved", "submitted", "returned", "draft"}
    assert ProgressReport.objects.filter(period__ends_on__gte=today).exists()
    kinds = Counter(seeded.values_list("deadline_kind", flat=True))
    assert {"day", "quarter", "year", "ongoing"} <= set(kinds)
    assert any(task_clarity_gaps(task=task) for task in seeded.prefetch_related(
        "outputs", "coordinating_units", "lead_unit__members"))
    assert Unit.objects.filter(kind=Unit.Kind.COLLECTIVE, members__isnull=False).exists()


def test_the_spread_of_states_is_realistic(seeded):
    from reports.dashboard import dashboard_headline

    classes = dashboard_headline(tasks=seeded, on=timezone.localdate())["classes"]
    assert all(entry["count"] > 0 for entry in classes.values()), classes


def test_it_refuses_to_run_twice(seeded):
    with pytest.raises(CommandError, match="already holds the scale programme"):
        call_command("seed_scale", tasks=10, units=10, months=2, verbosity=0)
    assert Task.objects.count() == 150


def test_it_refuses_a_programme_that_is_not_empty(db):
    TaskFactory()
    with pytest.raises(CommandError, match="only fills an empty one"):
        call_command("seed_scale", tasks=10, units=10, months=2, verbosity=0)
    assert Task.objects.count() == 1


def test_it_refuses_production_settings_unless_forced(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.production")
    with pytest.raises(CommandError, match="refuses to run with production settings"):
        call_command("seed_scale", tasks=10, units=10, months=2, verbosity=0)
    assert not Task.objects.exists()
    call_command("seed_scale", tasks=10, units=10, months=2, force=True, verbosity=0)
    assert Task.objects.count() == 10


def test_the_database_and_the_rules_agree_on_a_generated_programme(seeded):
    on = timezone.localdate()
    window = dashboard_window(on=on)
    sql = figures_rows(seeded, window=window, sets=list(SETS), lists=True)
    python = reference.figures_rows(seeded, window=window, sets=list(SETS), lists=True)

    def keyed(rows):
        return {tuple(row.get(name) for name in ("part", "g_group", "g_unit", "g_due", "g_done",
                                                 "group_id", "lead_unit_id", "due_month",
                                                 "done_month")):
                {key: value for key, value in row.items() if value not in (None, [])
                 and not ((row.get("g_due") == 0 or row.get("g_done") == 0)
                              and key.startswith("before_"))}
                for row in rows if not (row.get("g_due") == 0 and row["due_month"] is None)
                and not (row.get("g_done") == 0 and row["done_month"] is None)}

    assert keyed(sql) == keyed(python)
    period = period_for_date(on=on)
    assert compliance_counts(seeded, period=period, on=on) == \
        reference.compliance_counts(seeded, period=period, on=on)


def test_it_writes_indicators_broken_down_by_province_with_five_years_of_values(seeded):
    from indicators.models import Indicator, IndicatorValue
    from indicators.selectors import approved_values
    from indicators.status import indicator_track

    indicators = Indicator.objects.prefetch_related("targets", "breakdown_units")
    assert indicators.count() == 200
    broken_down = [i for i in indicators if i.breakdown_units.all()]
    assert len(broken_down) == 100
    assert {unit.kind for i in broken_down for unit in i.breakdown_units.all()} == {"province"}
    years = set(IndicatorValue.objects.values_list("period_end__year", flat=True))
    assert len(years) == 5 and max(years) < timezone.localdate().year + 1
    national = IndicatorValue.objects.filter(unit__isnull=True)
    assert national.count() == 200 * 5
    assert IndicatorValue.objects.filter(unit__isnull=False).count() == 100 * 5 * len(
        broken_down[0].breakdown_units.all())
    assert set(IndicatorValue.objects.values_list("state", flat=True)) == {
        "approved", "submitted", "draft"}
    with_values = indicators.prefetch_related(None).prefetch_related(
        "targets", Prefetch("values", approved_values().filter(unit__isnull=True)))
    statuses = Counter(indicator_track(i, on=timezone.localdate()).status for i in with_values)
    assert {"on_track", "off_track"} <= set(statuses), statuses
