"""Figures count the units that existed on a period's cut-off: a province merged on 1 July is
not missing its July reports, its earlier reports stay under its name, and a monthly report
issued before the merge stays as it was issued."""

import hashlib
from datetime import date

import pytest
from django.urls import reverse

from reports.compliance import compliance_by_unit, expected_reports
from reports.dashboard import compliance_counts
from reports.models import IssuedMonthlyReport, ProgressReport
from reports.monthly import monthly_report_issue
from tasks.models import Task
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    ResolutionFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
)
from units.models import Unit, UnitChange

from .lifecycle import change

pytestmark = pytest.mark.django_db

MERGED = date(2025, 7, 1)


@pytest.fixture
def world(secretariat):
    old = UnitFactory(code="HD", name="Tỉnh Hải Dương", kind=Unit.Kind.PROVINCE)
    new = UnitFactory(code="HP", name="Thành phố Hải Phòng", kind=Unit.Kind.PROVINCE)
    provinces = UnitFactory(code="TT-UBNDTINH", name="UBND các tỉnh",
                            kind=Unit.Kind.COLLECTIVE)
    provinces.members.set([old, new])
    group = TaskGroupFactory(resolution=ResolutionFactory(issued_on=date(2025, 1, 1)))
    led = TaskFactory(group=group, lead_unit=old, deadline=date(2026, 12, 31))
    everyone = TaskFactory(group=group, lead_unit=provinces, deadline=date(2026, 12, 31))
    june = ReportingPeriodFactory(year=2025, month=6)
    july = ReportingPeriodFactory(year=2025, month=7)
    june_report = ProgressReportFactory(task=led, unit=old, period=june)
    return {"old": old, "new": new, "led": led, "everyone": everyone, "june": june,
            "july": july, "june_report": june_report, "actor": secretariat}


def _expected(period) -> set[tuple[str, str]]:
    return {(task.code, unit.code) for task, unit in expected_reports(period=period)}


def _sql_agrees(period) -> None:
    on = period.submission_deadline
    counted = compliance_counts(Task.objects.all(), period=period, on=on)
    reference = {row["unit_id"]: {key: row[key] for key in (
        "expected", "received", "on_time", "missing", "received_rate", "on_time_rate")}
        for row in compliance_by_unit(period=period, on=on)}
    assert counted["units"] == reference


def test_a_merged_unit_is_expected_before_its_end_and_not_after(world):
    led, everyone = world["led"].code, world["everyone"].code
    assert _expected(world["july"]) == {(led, "HD"), (everyone, "HD"), (everyone, "HP")}
    _sql_agrees(world["july"])

    change(world["old"], UnitChange.Kind.MERGE, actor=world["actor"], on=MERGED,
           successors=[world["new"]])

    assert _expected(world["july"]) == {(led, "HP"), (everyone, "HP")}
    july_rows = {row["unit_id"] for row in compliance_by_unit(
        period=world["july"], on=world["july"].submission_deadline)}
    assert world["old"].pk not in july_rows  # not "missing its report" for July
    _sql_agrees(world["july"])
    # June's cut-off (14/06) is before the merge: the province still existed and reported.
    assert (everyone, "HD") in _expected(world["june"])
    _sql_agrees(world["june"])
    assert ProgressReport.objects.get(pk=world["june_report"].pk).unit == world["old"]


def test_a_merge_dated_in_the_future_changes_no_figure_until_its_day(world):
    from units.jobs import apply_unit_changes

    coming = ReportingPeriodFactory(year=2099, month=7)  # a period still to come
    change(world["old"], UnitChange.Kind.MERGE, actor=world["actor"], on=date(2099, 7, 1),
           successors=[world["new"]])
    assert (world["led"].code, "HD") in _expected(coming)
    apply_unit_changes(on="2099-07-01")
    assert (world["led"].code, "HP") in _expected(coming)
    assert (world["led"].code, "HD") not in _expected(coming)
    _sql_agrees(coming)


def test_an_issued_monthly_report_is_not_recomputed_after_a_merge(client, world):
    issued = monthly_report_issue(period=world["july"], actor=world["actor"],
                                  number="15/BC-BYT")
    data, sha = issued.data, issued.sha256
    pdf = issued.pdf.open("rb").read()

    change(world["old"], UnitChange.Kind.MERGE, actor=world["actor"], on=MERGED,
           successors=[world["new"]])

    issued = IssuedMonthlyReport.objects.get(pk=issued.pk)
    assert (issued.data, issued.sha256) == (data, sha)
    client.force_login(world["actor"])
    response = client.get(reverse("issued_report", args=[issued.pk]))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == pdf and hashlib.sha256(body).hexdigest() == sha
    assert "Tỉnh Hải Dương" in str(data["compliance"])
