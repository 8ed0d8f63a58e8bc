"""Deadlines as the programmes write them.

A deadline is stored as its kind (the precision the programme used) and one date: the last day of
the period it names. Recurring kinds store the due date of their first occurrence; "ongoing" and
"unspecified" store no date. The text as written is kept beside it on the task.
"""

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import dmy


class DeadlineKind(models.TextChoices):
    DAY = "day", gettext_lazy("By a date")
    MONTH = "month", gettext_lazy("Within a month")
    QUARTER = "quarter", gettext_lazy("Within a quarter")
    YEAR = "year", gettext_lazy("Within a year")
    MONTHLY = "monthly", gettext_lazy("Monthly")
    QUARTERLY = "quarterly", gettext_lazy("Quarterly")
    ANNUAL = "annual", gettext_lazy("Annual")
    ONGOING = "ongoing", gettext_lazy("Ongoing")
    UNSPECIFIED = "unspecified", gettext_lazy("Not specified")


ONE_OFF_KINDS = frozenset({DeadlineKind.DAY, DeadlineKind.MONTH, DeadlineKind.QUARTER,
                           DeadlineKind.YEAR})
RECURRING_KINDS = frozenset({DeadlineKind.MONTHLY, DeadlineKind.QUARTERLY, DeadlineKind.ANNUAL})
UNDATED_KINDS = frozenset({DeadlineKind.ONGOING, DeadlineKind.UNSPECIFIED})

ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


def period_end(kind: str, on: date) -> date:
    """The last day of the month, quarter or year (by the kind's precision) containing `on`."""
    if kind in (DeadlineKind.MONTH, DeadlineKind.MONTHLY):
        return month_end(on.year, on.month)
    if kind in (DeadlineKind.QUARTER, DeadlineKind.QUARTERLY):
        return quarter_end(on.year, (on.month - 1) // 3 + 1)
    if kind in (DeadlineKind.YEAR, DeadlineKind.ANNUAL):
        return date(on.year, 12, 31)
    return on


def previous_period_end(kind: str, due: date) -> date:
    """For a recurring kind, the due date of the occurrence before the one due on `due`."""
    months = {DeadlineKind.MONTHLY: 1, DeadlineKind.QUARTERLY: 3, DeadlineKind.ANNUAL: 12}[kind]
    index = due.year * 12 + due.month - 1 - months
    return month_end(index // 12, index % 12 + 1)


@dataclass(frozen=True)
class Occurrences:
    """The occurrences of a recurring task that matter on a given date."""

    current_due: date
    previous_due: date | None


def occurrences_on(kind: str, first_due: date, on: date) -> Occurrences:
    """The occurrence whose period contains `on` (never before the first), and the one before it.

    Before the first occurrence's period, the current occurrence is the first and there is none
    before it.
    """
    current = max(period_end(kind, on), first_due)
    previous = previous_period_end(kind, current)
    return Occurrences(current_due=current,
                       previous_due=previous if previous >= first_due else None)


def _period_before(kind: str, due: date) -> date:
    recurring = {DeadlineKind.MONTH: DeadlineKind.MONTHLY, DeadlineKind.QUARTER:
                 DeadlineKind.QUARTERLY, DeadlineKind.YEAR: DeadlineKind.ANNUAL}[kind]
    return previous_period_end(recurring, due)


# --- Reading what the programme wrote -------------------------------------------------------


class DeadlineParseError(ValueError):
    pass


@dataclass(frozen=True)
class ParsedDeadline:
    kind: str
    #: The deadline (one-off kinds), the first occurrence's due date (recurring kinds, or None when
    #: the text names no start), or None (ongoing, unspecified).
    due: date | None


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").lower().strip()
    text = text.replace("hàng", "hằng")  # both spellings are in use for "every"
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .;,")


_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_ISO_DATE = r"(\d{4})-(\d{2})-(\d{2})"
_MONTH = r"(?:tháng|month)?\s*(\d{1,2})\s*(?:/|-|năm)\s*(\d{4})"
_QUARTER = r"(?:quý|quarter|q)\s*(iv|iii|ii|i|[1-4])\s*(?:/|-|năm|\s)\s*(\d{4})"
_YEAR = r"(?:năm|year)?\s*(\d{4})"
# A period of years ("Năm 2025 - 2026", "2026-2030", "Giai đoạn 2026 - 2030") ends with its last.
_YEARS = (r"(?:năm|giai đoạn|year|years|period)?\s*(\d{4})\s*(?:-|–|—|đến|to)\s*(?:năm\s*)?"
          r"(\d{4})")
_WORDED_DATE = r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"  # "31 tháng 12 năm 2025"
_FIRST_MONTHS = r"(\d{1,2})\s+tháng\s+(đầu|cuối)\s+năm\s+(\d{4})"  # "6 tháng đầu năm 2026"
_LEAD_IN = r"^(?:(?:hoàn thành|chậm nhất|trước|trong|by|before|ngày|in)\s+)*"
_RECURRING = {
    "hằng tháng": DeadlineKind.MONTHLY, "monthly": DeadlineKind.MONTHLY,
    "hằng quý": DeadlineKind.QUARTERLY, "quarterly": DeadlineKind.QUARTERLY,
    "hằng năm": DeadlineKind.ANNUAL, "annual": DeadlineKind.ANNUAL,
    "annually": DeadlineKind.ANNUAL,
}
_ONGOING = {"thường xuyên", "liên tục", "ongoing", "continuous"}
# "Khẩn trương" (urgently) names no time: the task is not clear on time until a date is set.
_UNSPECIFIED = {"", "-", "chưa xác định", "khẩn trương", "not specified"}


def _valid_date(day: int, month: int, year: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DeadlineParseError(_("%(day)02d/%(month)02d/%(year)d is not a real date.")
                                 % {"day": day, "month": month, "year": year}) from exc


def _quarter_number(token: str) -> int:
    return ROMAN_QUARTERS.get(token) or int(token)


def _one_off(text: str) -> ParsedDeadline | None:
    if m := re.fullmatch(_DATE, text):
        return ParsedDeadline(DeadlineKind.DAY, _valid_date(int(m[1]), int(m[2]), int(m[3])))
    if m := re.fullmatch(_WORDED_DATE, text):
        return ParsedDeadline(DeadlineKind.DAY, _valid_date(int(m[1]), int(m[2]), int(m[3])))
    if m := re.fullmatch(_ISO_DATE, text):
        return ParsedDeadline(DeadlineKind.DAY, _valid_date(int(m[3]), int(m[2]), int(m[1])))
    if m := re.fullmatch(_QUARTER, text):
        return ParsedDeadline(DeadlineKind.QUARTER, quarter_end(int(m[2]), _quarter_number(m[1])))
    if m := re.fullmatch(_MONTH, text):
        month = int(m[1])
        if not 1 <= month <= 12:
            raise DeadlineParseError(_("%(month)d is not a month.") % {"month": month})
        return ParsedDeadline(DeadlineKind.MONTH, month_end(int(m[2]), month))
    if m := re.fullmatch(_FIRST_MONTHS, text):
        months, year = int(m[1]), int(m[3])
        if not 1 <= months <= 12:
            raise DeadlineParseError(_("%(month)d is not a month.") % {"month": months})
        return ParsedDeadline(DeadlineKind.MONTH,
                              month_end(year, months if m[2] == "đầu" else 12))
    if m := re.fullmatch(_YEARS, text):
        first, last = int(m[1]), int(m[2])
        if not first <= last <= first + 30:
            raise DeadlineParseError(_("%(first)d - %(last)d is not a period of years.")
                                     % {"first": first, "last": last})
        return ParsedDeadline(DeadlineKind.YEAR, date(last, 12, 31))
    if m := re.fullmatch(_YEAR, text):
        return ParsedDeadline(DeadlineKind.YEAR, date(int(m[1]), 12, 31))
    return None


def parse_deadline(text: str) -> ParsedDeadline:
    """Read a deadline as an appendix writes it.

    Accepts "trước 30/10/2025", "30/10/2025", "Tháng 12/2025", "Quý IV/2025" ("Quý 4/2025",
    "Quý IV năm 2025"), "Năm 2026" ("Trong năm 2026"), a period of years ending with its last
    ("Năm 2025 - 2026", "2026-2030"), "6 tháng đầu năm 2026",
    "Hằng tháng", "Hằng quý", "Hằng năm" (optionally ", từ năm 2026" / "từ quý I/2026" /
    "từ tháng 1/2026"), "Thường xuyên", and blank (not specified). Raises DeadlineParseError with
    a message for the user otherwise.
    """
    normal = _normalise(text)
    if normal in _UNSPECIFIED:
        return ParsedDeadline(DeadlineKind.UNSPECIFIED, None)
    if normal in _ONGOING:
        return ParsedDeadline(DeadlineKind.ONGOING, None)
    for phrase, kind in _RECURRING.items():
        if normal == phrase or normal.startswith(phrase + " ") or normal.startswith(phrase + ","):
            rest = normal[len(phrase):].strip(" ,")
            if not rest:
                return ParsedDeadline(kind, None)
            start_text = re.sub(r"^(?:bắt đầu\s+)?(?:từ|from|starting)\s+", "", rest)
            start = _one_off(start_text)
            if start is None or start_text == rest:
                break
            return ParsedDeadline(kind, period_end(kind, start.due))
    else:
        parsed = _one_off(re.sub(_LEAD_IN, "", normal))
        if parsed is not None:
            before = re.match(r"^(?:hoàn thành\s+)?(?:trước|before)\b", normal)
            if parsed.kind != DeadlineKind.DAY and before:
                # "Trước tháng 12/2025" is before December begins: due at the end of November.
                # A day is kept as written ("trước 30/10/2025" is due on 30/10/2025).
                return ParsedDeadline(parsed.kind, _period_before(parsed.kind, parsed.due))
            return parsed
    raise DeadlineParseError(
        _('"%(text)s" is not a deadline this system can read. Write it as the programme does: '
          '"30/10/2025", "Tháng 12/2025", "Quý IV/2025", "Năm 2026", "Hằng năm, từ năm 2026" or '
          '"Thường xuyên".') % {"text": text.strip()}
    )


# --- Writing it back --------------------------------------------------------------------------


def format_deadline(kind: str, due: date | None) -> str:
    """The deadline in the current language, in the programme's own form ("Quý IV/2025")."""
    if kind == DeadlineKind.ONGOING:
        return _("Ongoing")
    if kind == DeadlineKind.UNSPECIFIED or due is None and kind not in RECURRING_KINDS:
        return _("Not specified")
    if kind == DeadlineKind.DAY:
        return _("By %(date)s") % {"date": dmy(due)}
    if kind == DeadlineKind.MONTH:
        return _("Month %(month)02d/%(year)d") % {"month": due.month, "year": due.year}
    if kind == DeadlineKind.QUARTER:
        return _("Quarter %(quarter)s/%(year)d") % {"quarter": ROMAN[(due.month - 1) // 3 + 1],
                                                     "year": due.year}
    if kind == DeadlineKind.YEAR:
        return _("Year %(year)d") % {"year": due.year}
    every = {DeadlineKind.MONTHLY: _("Monthly"), DeadlineKind.QUARTERLY: _("Quarterly"),
             DeadlineKind.ANNUAL: _("Annually")}[kind]
    if due is None:
        return every
    return _("%(every)s, first due %(date)s") % {"every": every,
                                                   "date": dmy(due)}


def next_period_end(kind: str, due: date) -> date:
    """For a recurring kind, the due date of the occurrence after the one due on `due`."""
    return period_end(kind, due + timedelta(days=1))


def occurrence_credits(kind: str, first_due: date, completed_dates: list[date]) -> dict[date, date]:
    """Which occurrence each completion completes: {occurrence due date: completed on}.

    Completions are taken in date order; each completes the earliest occurrence still open, as
    long as that occurrence's period has begun (one finished late completes the missed occurrence,
    not the current one). A completion with no open occurrence left is ignored.
    """
    credits: dict[date, date] = {}
    open_due = first_due
    for completed_on in sorted(completed_dates):
        if open_due > occurrences_on(kind, first_due, completed_on).current_due:
            continue
        credits[open_due] = completed_on
        open_due = next_period_end(kind, open_due)
    return credits
