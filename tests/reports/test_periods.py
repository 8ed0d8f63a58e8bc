"""Reporting periods: the Decree 09/2019 cut-off (15th of last month to the 14th) by default."""

from datetime import date

import pytest

from reports.models import ReportingPeriod
from reports.periods import (
    period_dates,
    period_for_date,
    period_get_or_create,
    period_key_for,
    period_open,
)


@pytest.mark.parametrize(
    ("on", "key"),
    [
        pytest.param(date(2025, 11, 14), (2025, 11), id="the cut-off day is in its own month"),
        pytest.param(date(2025, 11, 15), (2025, 12), id="the day after belongs to next month"),
        pytest.param(date(2025, 11, 1), (2025, 11), id="the first of the month is in it"),
        pytest.param(date(2025, 11, 30), (2025, 12), id="the end of the month is in the next"),
        pytest.param(date(2025, 12, 14), (2025, 12), id="14 December is in December"),
        pytest.param(date(2025, 12, 15), (2026, 1), id="15 December is in January of next year"),
        pytest.param(date(2025, 12, 31), (2026, 1), id="31 December is in January of next year"),
    ],
)
def test_period_key_for_the_default_cut_off(on, key):
    assert period_key_for(on, cutoff_day=14) == key


def test_period_key_for_another_cut_off():
    assert period_key_for(date(2025, 11, 20), cutoff_day=20) == (2025, 11)
    assert period_key_for(date(2025, 11, 21), cutoff_day=20) == (2025, 12)


@pytest.mark.parametrize(
    ("year", "month", "dates"),
    [
        pytest.param(2026, 1, (date(2025, 12, 15), date(2026, 1, 14), date(2026, 1, 17)),
                     id="January starts on 15 December of the previous year"),
        pytest.param(2025, 3, (date(2025, 2, 15), date(2025, 3, 14), date(2025, 3, 17)),
                     id="March starts on 15 February"),
        pytest.param(2025, 12, (date(2025, 11, 15), date(2025, 12, 14), date(2025, 12, 17)),
                     id="December ends on 14 December"),
    ],
)
def test_period_dates(year, month, dates):
    assert period_dates(year, month, cutoff_day=14, submission_days=3) == dates


def test_consecutive_periods_leave_no_gap_and_do_not_overlap():
    for month in range(1, 12):
        _, ends_on, _ = period_dates(2025, month, cutoff_day=14, submission_days=3)
        starts_on, _, _ = period_dates(2025, month + 1, cutoff_day=14, submission_days=3)
        assert (starts_on - ends_on).days == 1


def test_a_cut_off_on_the_28th_starts_march_on_1_march():
    assert period_dates(2025, 3, cutoff_day=28, submission_days=0) == (
        date(2025, 3, 1), date(2025, 3, 28), date(2025, 3, 28))


@pytest.mark.django_db
def test_period_open_creates_the_period_once(settings):
    settings.REPORTING_CUTOFF_DAY = 14
    settings.REPORTING_SUBMISSION_DAYS_AFTER_CUTOFF = 3
    first = period_open(on=date(2025, 12, 15))
    again = period_open(on=date(2026, 1, 14))

    assert again.pk == first.pk
    assert ReportingPeriod.objects.count() == 1
    assert (first.year, first.month, first.key, str(first)) == (2026, 1, "2026-01", "01/2026")
    assert (first.starts_on, first.ends_on, first.submission_deadline) == (
        date(2025, 12, 15), date(2026, 1, 14), date(2026, 1, 17))


@pytest.mark.django_db
def test_period_for_date_follows_the_configured_cut_off(settings):
    settings.REPORTING_CUTOFF_DAY = 20
    settings.REPORTING_SUBMISSION_DAYS_AFTER_CUTOFF = 5
    period = period_for_date(on=date(2025, 11, 20))
    assert (period.year, period.month) == (2025, 11)
    assert (period.starts_on, period.ends_on, period.submission_deadline) == (
        date(2025, 10, 21), date(2025, 11, 20), date(2025, 11, 25))
    assert period_for_date(on=date(2025, 11, 21)).month == 12


@pytest.mark.django_db
def test_a_stored_period_keeps_its_dates_when_the_setting_changes(settings):
    settings.REPORTING_CUTOFF_DAY = 14
    period_get_or_create(year=2025, month=11)
    settings.REPORTING_CUTOFF_DAY = 20
    period = period_get_or_create(year=2025, month=11)
    assert period.ends_on == date(2025, 11, 14)
    assert ReportingPeriod.objects.count() == 1
