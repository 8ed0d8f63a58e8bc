"""The periods an indicator is measured in: a month, a quarter or a year, stored as its last day.

A period is written `2025-11` (a month), `2025-Q4` (a quarter) or `2025` (a year) in the API and
in forms, and shown as the programme writes it: "Tháng 11/2025", "Quý IV/2025", "Năm 2025".
"""

import calendar
import re
from datetime import date

from django.utils.translation import gettext as _

from .models import Frequency

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
#: Any period key, whatever the frequency (the API's pattern).
PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_end_of(frequency: str, day: date) -> date:
    """The last day of the period of `frequency` that contains `day`."""
    if frequency == Frequency.MONTHLY:
        return _month_end(day.year, day.month)
    if frequency == Frequency.QUARTERLY:
        return _month_end(day.year, ((day.month - 1) // 3 + 1) * 3)
    return date(day.year, 12, 31)


def period_key(frequency: str, end: date) -> str:
    if frequency == Frequency.MONTHLY:
        return f"{end.year}-{end.month:02d}"
    if frequency == Frequency.QUARTERLY:
        return f"{end.year}-Q{(end.month - 1) // 3 + 1}"
    return str(end.year)


def period_label(frequency: str, end: date) -> str:
    if frequency == Frequency.MONTHLY:
        return _("Month %(month)02d/%(year)d") % {"month": end.month, "year": end.year}
    if frequency == Frequency.QUARTERLY:
        return _("Quarter %(quarter)s/%(year)d") % {"quarter": ROMAN[(end.month - 1) // 3 + 1],
                                                     "year": end.year}
    return _("Year %(year)d") % {"year": end.year}


def period_parse(frequency: str, key: str) -> date | None:
    """The last day of the period `key` names, if it is a period of `frequency`; else None."""
    key = (key or "").strip()
    patterns = {Frequency.MONTHLY: r"(\d{4})-(0[1-9]|1[0-2])",
                Frequency.QUARTERLY: r"(\d{4})-Q([1-4])", Frequency.YEARLY: r"(\d{4})"}
    found = re.fullmatch(patterns[frequency], key)
    if not found:
        return None
    year = int(found.group(1))
    if not 1900 <= year <= 2200:
        return None
    if frequency == Frequency.MONTHLY:
        return _month_end(year, int(found.group(2)))
    if frequency == Frequency.QUARTERLY:
        return _month_end(year, int(found.group(2)) * 3)
    return date(year, 12, 31)


def period_is_valid(frequency: str, end: date) -> bool:
    return period_end_of(frequency, end) == end


def recent_periods(frequency: str, *, today: date, count: int) -> list[date]:
    """The last day of the period containing `today` and of the `count - 1` before it, newest
    first."""
    ends = [period_end_of(frequency, today)]
    while len(ends) < count:
        first_day = ends[-1].replace(day=1)
        if frequency == Frequency.QUARTERLY:
            first_day = first_day.replace(month=first_day.month - 2)
        elif frequency == Frequency.YEARLY:
            first_day = first_day.replace(month=1)
        previous = date.fromordinal(first_day.toordinal() - 1)
        ends.append(period_end_of(frequency, previous))
    return ends
