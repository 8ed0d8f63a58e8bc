"""Every dashboard number against a small programme worked out by hand, and the database's
set-based figures against the same figures computed task by task from the rules."""

from datetime import date

import pytest

from reports.compliance import compliance_by_unit
from reports.dashboard import (
    at_risk_tasks,
    compliance_counts,
    dashboard_headline,
    dashboard_overview,
    expected_reports_list,
    missing_reports,
)
from reports.dashboard.figures import SETS, figures_rows
from reports.dashboard.overview import dashboard_window
from reports.dashboard.risk import NO_TREND
from tasks.models import Task
from tests.reports import reference_figures as reference

from .dashboard_programme import BEFORE, EXPECTED, ON, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return build()


def _codes(ids) -> set[str]:
    return set(Task.objects.filter(pk__in=list(ids)).values_list("code", flat=True))


def _overview(programme, **options):
    return dashboard_overview(tasks=Task.objects.all(), on=ON, period=programme["periods"][4],
                              **options)


def test_the_last_periods_cutoff_is_the_point_of_comparison(programme):
    window = dashboard_window(on=ON)
    assert (window.on, window.before) == (ON, BEFORE)


def test_headline_counts_percentages_and_change(programme):
    headline = dashboard_headline(tasks=Task.objects.all(), on=ON)
    assert headline["total"] == 13
    assert headline["previous_on"] == BEFORE
    for status, count in EXPECTED["now"].items():
        entry = headline["classes"][status]
        assert entry["count"] == count, status
        assert entry["previous"] == EXPECTED["before"][status], status
        assert entry["change"] == count - EXPECTED["before"][status]
        assert entry["percent"] == round(100 * count / 13, 1)
    assert headline["at_risk"] == len(EXPECTED["at_risk"])
    assert headline["not_forecast"] == len(EXPECTED["no_trend"])
    # The page shows the same headline as the one the API will serve.
    assert _overview(programme)["headline"] == headline


def test_by_group_and_by_resolution(programme):
    data = _overview(programme)
    groups = {f"{entry['group'].resolution.number[:2].rstrip('/')}·{entry['group'].number}":
              {status: item["count"] for status, item in entry["classes"].items()}
              for entry in data["by_group"]}
    assert groups == EXPECTED["groups"]
    assert [entry["group"].pk for entry in data["by_group"]] == [
        programme["groups"][key].pk for key in ("R·1", "R·2", "R2·1")]
    assert {entry["resolution"].number: entry["total"] for entry in data["by_resolution"]} == {
        "R/NQ-CP": EXPECTED["resolutions"]["R"], "R2/KH": EXPECTED["resolutions"]["R2"]}
    by_group_risk = {entry["group"].pk: entry["at_risk"] for entry in data["by_group"]}
    assert by_group_risk[programme["groups"]["R·1"].pk] == 1  # A4
    assert by_group_risk[programme["groups"]["R·2"].pk] == 2  # A6, A8


def test_league_table_by_lead_unit(programme):
    units = {unit.pk: code for code, unit in programme["units"].items()}
    rows = _overview(programme, league_sort="unit")["league"].rows
    found = {units[row["unit_id"]]: (row["tasks"], row["completed_on_time"],
                                     row["completed_late"], row["overdue"], row["at_risk"],
                                     row["missing"]) for row in rows}
    assert found == EXPECTED["league"]


@pytest.mark.parametrize(("sort", "first"), [("-overdue", "D1"), ("overdue", "O"),
                                             ("-missing", "D2"), ("unit", "O"),
                                             ("-tasks", "D1"), ("nonsense", "D1")])
def test_league_table_sorts_on_the_server(programme, sort, first):
    units = {unit.pk: code for code, unit in programme["units"].items()}
    league = _overview(programme, league_sort=sort)["league"]
    assert units[league.rows[0]["unit_id"]] == first


def test_a_unit_leader_sees_only_their_units_own_missing_reports(programme):
    units = programme["units"]
    rows = _overview(programme, scope_path=units["M"].path)["league"].rows
    missing = {row["unit_id"]: row["missing"] for row in rows}
    assert missing[units["D1"].pk] == 3 and missing[units["D2"].pk] == 4
    assert missing[units["O"].pk] is None and missing[units["C"].pk] is None


def test_deadlines_coming_and_overdue_with_days(programme):
    data = _overview(programme)
    assert data["deadlines"] == EXPECTED["deadlines"]
    assert [task.code for task in data["lists"]["upcoming"]] == EXPECTED["upcoming"]
    assert [(task.code, task.days_overdue) for task in data["lists"]["overdue"]] == \
        EXPECTED["overdue"]


def test_timeline_of_deadlines_by_group(programme):
    timeline = _overview(programme)["timeline"]
    assert timeline["months"][0] == date(2025, 12, 1)
    assert timeline["months"][-1] == date(2027, 3, 1)
    cells = {(line["group"].pk, cell["month"]): cell for line in timeline["lines"]
             for cell in line["cells"]}
    g1, g3 = programme["groups"]["R·1"].pk, programme["groups"]["R2·1"].pk
    february = cells[(g1, date(2026, 2, 1))]
    assert february["total"] == 2
    assert february["counts"]["completed_on_time"] == 1
    assert february["counts"]["completed_late"] == 1
    assert cells[(g1, date(2026, 1, 1))]["counts"]["overdue"] == 1
    march = cells[(g3, date(2026, 3, 1))]
    assert (march["total"], march["counts"]["overdue"], march["counts"]["in_progress"]) == \
        (3, 2, 1)  # B2's occurrence now due, B5, B4
    assert sum(cell["total"] for cell in cells.values()) == 11  # B1 and B3 have no deadline


def test_monthly_trend_of_completion(programme):
    trend = _overview(programme)["trend"]
    assert len(trend) == 12 and trend[-1]["month"] == date(2026, 3, 1)
    found = {month["month"]: (month["on_time"], month["late"], month["completed"])
             for month in trend if month["on_time"] or month["late"]}
    assert found == EXPECTED["trend"]
    assert trend[-1]["share"] == round(100 * 2 / 13, 1)


def _compliance_by_code(rows: dict, units: dict) -> dict:
    codes = {unit.pk: code for code, unit in units.items()}
    return {codes[unit_id]: (row["expected"], row["received"], row["on_time"])
            for unit_id, row in rows.items()}


def test_reporting_compliance_this_period(programme):
    data = _overview(programme)
    units = programme["units"]
    page = {row["unit_id"]: row for row in data["compliance"]["page"].rows}
    assert _compliance_by_code(page, units) == EXPECTED["compliance"]
    total = data["compliance"]["total"]
    assert (total["expected"], total["received"], total["on_time"], total["missing"]) == \
        (15, 2, 2, 13)
    assert total["received_rate"] == 13.3 and total["on_time_rate"] == 13.3
    assert page[units["D1"].pk]["received_rate"] == 14.3
    assert units["X"].pk not in page  # an inactive unit is not expected to report


@pytest.mark.parametrize("month", [3, 4])
def test_compliance_in_sql_is_compliance_by_unit(programme, month):
    period = programme["periods"][month]
    counted = compliance_counts(Task.objects.all(), period=period, on=ON)
    reference = {row["unit_id"]: {key: row[key] for key in (
        "expected", "received", "on_time", "missing", "received_rate", "on_time_rate")}
        for row in compliance_by_unit(period=period, on=ON)}
    assert counted["units"] == reference
    if month == 3:
        assert _compliance_by_code(counted["units"], programme["units"]) == \
            EXPECTED["compliance_march"]


def test_the_reports_missing_this_period(programme):
    units, tasks = programme["units"], programme["tasks"]
    period = programme["periods"][4]
    total, rows = missing_reports(Task.objects.all(), period=period, on=ON,
                                  unit_id=units["D2"].pk)
    assert total == 4
    assert [task_id for task_id, _unit, _lead in rows] == [
        tasks[code].pk for code in ("A3", "A4", "B1", "B4")]
    total, rows = missing_reports(Task.objects.filter(lead_unit=units["C"]), period=period,
                                  on=ON, lead_only=True)
    assert total == 2 and {unit for _task, unit, _lead in rows} == {units["D1"].pk,
                                                                     units["O"].pk}
    total, rows = missing_reports(Task.objects.all(), period=period, on=ON, limit=5,
                                  offset=5)
    assert total == 13 and len(rows) == 5
    assert missing_reports(Task.objects.all(), period=period, on=ON, offset=500)[0] == 13


def test_the_reports_received_and_expected(programme):
    units, tasks = programme["units"], programme["tasks"]
    period = programme["periods"][4]
    total, rows = expected_reports_list(Task.objects.all(), period=period, on=ON,
                                        unit_id=units["D1"].pk, received="yes")
    assert (total, rows) == (1, [(tasks["A2"].pk, units["D1"].pk, True, date(2026, 3, 18))])
    assert expected_reports_list(Task.objects.all(), period=period, on=ON,
                                 unit_id=units["D1"].pk, received="any")[0] == 7
    # A3's report came in on 21/03: after the day asked for, so not yet received then.
    total, rows = expected_reports_list(Task.objects.filter(pk=tasks["A3"].pk), period=period,
                                        on=ON, received="any")
    assert rows == [(tasks["A3"].pk, units["D2"].pk, True, None)]
    march = programme["periods"][3]
    assert expected_reports_list(Task.objects.all(), period=march, on=ON,
                                 unit_id=units["D2"].pk, received="on_time") == (0, [])


def test_six_clarities(programme):
    data = _overview(programme)
    assert {clarity.value: count for clarity, count in data["clarity"]["counts"].items()} == \
        EXPECTED["clarity"]
    assert data["clarity"]["not_clear"] == len(EXPECTED["not_clear"])
    listed = {task.code: {gap.value for gap in task.gaps} for task in data["lists"]["unclear"]}
    assert listed == {"A2": {"responsibility"}, "B1": {"work"},
                      "B3": {"time", "authority"}, "B5": {"person", "product"}}


def test_at_risk_and_no_trend(programme):
    data = _overview(programme)
    assert {task.code for task in data["lists"]["risk"]} == EXPECTED["at_risk"]
    # Lowest forecast first: flat 50% (A8, due 30/09), A6's one report, A4's 20-30-40%.
    assert [task.code for task in data["lists"]["risk"]] == ["A6", "A8", "A4"]
    assert [task.projected for task in data["lists"]["risk"]] == [42, 50, 76]
    total, rows = at_risk_tasks(Task.objects.all(), on=ON)
    assert total == 3 and _codes(pk for pk, _p, _l in rows) == EXPECTED["at_risk"]
    total, rows = at_risk_tasks(Task.objects.all(), on=ON, which=NO_TREND)
    assert total == 1 and _codes(pk for pk, _p, _l in rows) == EXPECTED["no_trend"]


def test_filters_narrow_every_figure(programme):
    units = programme["units"]
    tasks = Task.objects.filter(lead_unit=units["D1"])
    headline = dashboard_headline(tasks=tasks, on=ON)
    assert headline["total"] == 5
    assert headline["classes"]["overdue"]["count"] == 2
    assert headline["at_risk"] == 1
    data = dashboard_overview(tasks=tasks, on=ON, period=programme["periods"][4])
    assert [row["unit_id"] for row in data["league"].rows] == [units["D1"].pk]
    # D1's tasks expect reports from D1 and from O, which coordinates A1 (completed: none).
    assert data["compliance"]["total"]["expected"] == 4


def test_an_empty_selection_counts_zero(programme):
    headline = dashboard_headline(tasks=Task.objects.none(), on=ON)
    assert headline["total"] == 0
    assert all(entry["count"] == 0 and entry["percent"] == 0
               for entry in headline["classes"].values())
    data = dashboard_overview(tasks=Task.objects.none(), on=ON, period=programme["periods"][4])
    assert data["league"].rows == [] and data["compliance"]["total"]["expected"] == 0


# --- The database and the rules agree ------------------------------------------------------


def _rows(rows: list[dict]) -> dict:
    keyed = {}
    for row in rows:
        if (row.get("g_due") == 0 and row["due_month"] is None) or \
                (row.get("g_done") == 0 and row["done_month"] is None):
            continue  # outside the timeline or the trend: never shown
        key = tuple(row.get(name) for name in (
            "part", "g_group", "g_unit", "g_due", "g_done", "group_id", "lead_unit_id",
            "due_month", "done_month"))
        # An aggregate over no row is NULL in SQL, an empty list here: the same "none". The
        # statuses on the last cut-off are counted in total, per group and per unit only.
        by_month = not row.get("g_due", 1) or not row.get("g_done", 1)
        keyed[key] = {name: value for name, value in row.items() if value not in (None, [])
                      and not (by_month and name.startswith("before_"))}
    return keyed


@pytest.mark.parametrize("on", [ON, date(2026, 1, 10), date(2026, 6, 30), date(2027, 1, 2)])
def test_the_figures_and_the_rules_agree(programme, on):
    window = dashboard_window(on=on)
    figures = figures_rows(Task.objects.all(), window=window, sets=list(SETS), lists=True)
    python = reference.figures_rows(Task.objects.all(), window=window, sets=list(SETS),
                                    lists=True)
    assert _rows(figures) == _rows(python)


def test_the_figures_and_the_rules_agree_on_compliance_and_lists(programme):
    for month in (1, 2, 3, 4):
        period = programme["periods"][month]
        assert compliance_counts(Task.objects.all(), period=period, on=ON)["units"] == \
            reference.compliance_counts(Task.objects.all(), period=period, on=ON)["units"]
        for received in ("no", "yes", "on_time", "any"):
            assert expected_reports_list(Task.objects.all(), period=period, on=ON, limit=100,
                                         received=received) == \
                reference.expected_reports_list(Task.objects.all(), period=period, on=ON,
                                            limit=100, received=received)
    for which in ("yes", NO_TREND):
        assert at_risk_tasks(Task.objects.all(), on=ON, which=which) == \
            reference.at_risk_tasks(Task.objects.all(), on=ON, which=which)
