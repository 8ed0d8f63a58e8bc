"""Which reporting period a date falls in, and a period's dates (pure functions)."""

from datetime import date, timedelta


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
