"""Reporting periods: which one a date falls in and its dates (pure functions), the period a
page reads (a selector: never writes) and the period a write stores (the one service)."""

from datetime import date, timedelta

from django.conf import settings

from .models import ReportingPeriod


def period_key_for(on: date, *, cutoff_day: int) -> tuple[int, int]:
    """The (year, month) of the period containing `on`.

    A month's period ends on its cut-off day, so a date after the cut-off belongs to next month's
    period: with the default cut-off (14), 14/03 is in March's period and 15/03 in April's.
    """
    if on.day <= cutoff_day:
        return on.year, on.month
    return (on.year + 1, 1) if on.month == 12 else (on.year, on.month + 1)


def period_dates(year: int, month: int, *, cutoff_day: int,
                 submission_days: int) -> tuple[date, date, date]:
    """(first day of data, cut-off day, submission deadline) of the month's period."""
    ends_on = date(year, month, cutoff_day)
    previous_year, previous_month = (year - 1, 12) if month == 1 else (year, month - 1)
    starts_on = date(previous_year, previous_month, cutoff_day) + timedelta(days=1)
    return starts_on, ends_on, ends_on + timedelta(days=submission_days)


class MonthConverter:
    """`<month:month>` in a URL: always two digits ("2026-02"), read with or without the zero."""

    regex = "0?[1-9]|1[0-2]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):02d}"


class PeriodKeyConverter:
    """`<period:key>` in a URL: a reporting period as YYYY-MM (the API's periods)."""

    regex = "[0-9]{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


# --- The stored periods -----------------------------------------------------------------------
# Reading a period never stores it: a page shown before the month's period exists (the daily job
# creates it) gets an unsaved one with the same dates, and only a write (a report saved, the
# job, the demo) stores it.


def _configured_dates(year: int, month: int) -> tuple[date, date, date]:
    return period_dates(year, month, cutoff_day=settings.REPORTING_CUTOFF_DAY,
                        submission_days=settings.REPORTING_SUBMISSION_DAYS_AFTER_CUTOFF)


def period_of_month(*, year: int, month: int) -> ReportingPeriod:
    """The stored period of that month, or, when there is none yet, an unsaved ReportingPeriod
    (pk None) with the dates the configured cut-off gives it. Never writes."""
    period = ReportingPeriod.objects.filter(year=year, month=month).first()
    if period is not None:
        return period
    starts_on, ends_on, deadline = _configured_dates(year, month)
    return ReportingPeriod(year=year, month=month, starts_on=starts_on, ends_on=ends_on,
                           submission_deadline=deadline)


def period_for_date(*, on: date) -> ReportingPeriod:
    """The period the date falls in (by the configured cut-off): the stored one, or an unsaved
    one (see period_of_month). Never writes."""
    year, month = period_key_for(on, cutoff_day=settings.REPORTING_CUTOFF_DAY)
    return period_of_month(year=year, month=month)


def period_to_report(*, year: int, month: int, on: date) -> ReportingPeriod | None:
    """The period a report page opens: a stored one, or the period `on` falls in even before it
    is stored (home and the task page link to it from its first day); None for any other month,
    so a report cannot bring an arbitrary month into being. Never writes."""
    if (year, month) == period_key_for(on, cutoff_day=settings.REPORTING_CUTOFF_DAY):
        return period_of_month(year=year, month=month)
    return ReportingPeriod.objects.filter(year=year, month=month).first()


def period_get_or_create(*, year: int, month: int) -> ReportingPeriod:
    """The period of that month, stored with the configured cut-off and deadline if new (a
    stored period keeps its dates when the settings change)."""
    starts_on, ends_on, deadline = _configured_dates(year, month)
    period, _created = ReportingPeriod.objects.get_or_create(
        year=year, month=month,
        defaults={"starts_on": starts_on, "ends_on": ends_on, "submission_deadline": deadline},
    )
    return period


def period_open(*, on: date) -> ReportingPeriod:
    """The period the date falls in, stored if new (the write path behind period_for_date)."""
    year, month = period_key_for(on, cutoff_day=settings.REPORTING_CUTOFF_DAY)
    return period_get_or_create(year=year, month=month)
