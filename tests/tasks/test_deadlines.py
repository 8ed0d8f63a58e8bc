"""Reading deadlines as the programmes write them, and writing them back."""

import unicodedata
from datetime import date

import pytest
from django.utils.translation import override

from tasks.deadlines import (
    DeadlineKind,
    DeadlineParseError,
    ParsedDeadline,
    format_deadline,
    occurrences_on,
    parse_deadline,
    period_end,
)

K = DeadlineKind


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        pytest.param("trước 30/10/2025", K.DAY, date(2025, 10, 30),
                     id="before a day is due on that day"),
        pytest.param("30/10/2025", K.DAY, date(2025, 10, 30), id="a bare date is due on it"),
        pytest.param("Hoàn thành trước 30/11/2025", K.DAY, date(2025, 11, 30),
                     id="completed before a day is due on that day"),
        pytest.param("Tháng 12/2025", K.MONTH, date(2025, 12, 31),
                     id="a month is due on its last day"),
        pytest.param("trước tháng 12/2025", K.MONTH, date(2025, 11, 30),
                     id="before a month is due at the end of the month before"),
        pytest.param("trước tháng 1/2026", K.MONTH, date(2025, 12, 31),
                     id="before January is due at the end of the previous December"),
        pytest.param("trước tháng 3/2024", K.MONTH, date(2024, 2, 29),
                     id="before March of a leap year is due on 29 February"),
        pytest.param("Quý IV/2025", K.QUARTER, date(2025, 12, 31),
                     id="a roman quarter is due on its last day"),
        pytest.param("Quý 4/2025", K.QUARTER, date(2025, 12, 31),
                     id="an arabic quarter is due on its last day"),
        pytest.param("Quý I/2026", K.QUARTER, date(2026, 3, 31),
                     id="the first quarter is due on 31 March"),
        pytest.param("trước quý IV/2025", K.QUARTER, date(2025, 9, 30),
                     id="before a quarter is due at the end of the quarter before"),
        pytest.param("Năm 2026", K.YEAR, date(2026, 12, 31),
                     id="a year is due on 31 December"),
        pytest.param("trước năm 2026", K.YEAR, date(2025, 12, 31),
                     id="before a year is due at the end of the year before"),
        pytest.param("Hằng tháng", K.MONTHLY, None, id="monthly with no start"),
        pytest.param("Hằng quý", K.QUARTERLY, None, id="quarterly with no start"),
        pytest.param("Hằng năm", K.ANNUAL, None, id="annual with no start"),
        pytest.param("Hàng năm", K.ANNUAL, None, id="the hàng spelling of annual"),
        pytest.param("Hằng năm, từ năm 2026", K.ANNUAL, date(2026, 12, 31),
                     id="annual from a year is first due at the end of that year"),
        pytest.param("Hằng quý, từ quý I/2026", K.QUARTERLY, date(2026, 3, 31),
                     id="quarterly from a quarter is first due at the end of it"),
        pytest.param("Hằng tháng từ tháng 1/2026", K.MONTHLY, date(2026, 1, 31),
                     id="monthly from a month is first due at the end of it"),
        pytest.param("Thường xuyên", K.ONGOING, None, id="ongoing has no date"),
        pytest.param("", K.UNSPECIFIED, None, id="blank is not specified"),
        pytest.param("   ", K.UNSPECIFIED, None, id="whitespace is not specified"),
        pytest.param("Khẩn trương", K.UNSPECIFIED, None, id="urgently names no time"),
        pytest.param("  TRƯỚC   30/10/2025. ", K.DAY, date(2025, 10, 30),
                     id="case, spacing and a trailing full stop do not matter"),
    ],
)
def test_parse_deadline_reads_what_the_programme_wrote(text, kind, due):
    assert parse_deadline(text) == ParsedDeadline(kind, due)


def test_decomposed_vietnamese_reads_like_composed():
    assert parse_deadline(unicodedata.normalize("NFD", "Quý IV/2025")) == ParsedDeadline(
        K.QUARTER, date(2025, 12, 31))


def test_29_february_of_a_leap_year_is_a_real_date():
    assert parse_deadline("29/02/2024") == ParsedDeadline(K.DAY, date(2024, 2, 29))


@pytest.mark.parametrize("text", ["29/02/2025", "31/04/2025"])
def test_a_day_that_does_not_exist_is_refused_with_a_message(text):
    with override("en"), pytest.raises(DeadlineParseError) as raised:
        parse_deadline(text)
    assert str(raised.value) == f"{text} is not a real date."


def test_a_month_that_does_not_exist_is_refused():
    with override("en"), pytest.raises(DeadlineParseError, match="13 is not a month"):
        parse_deadline("Tháng 13/2025")


@pytest.mark.parametrize(
    "text", ["sớm nhất có thể", "Quý 5/2025", "Hằng năm, garbage", "Hằng năm, từ khi có vốn"],
)
def test_garbage_is_refused_with_a_message_naming_the_accepted_forms(text):
    with override("en"), pytest.raises(DeadlineParseError) as raised:
        parse_deadline(text)
    message = str(raised.value)
    assert f'"{text}"' in message
    for form in ('"30/10/2025"', '"Tháng 12/2025"', '"Quý IV/2025"', '"Năm 2026"',
                 '"Hằng năm, từ năm 2026"', '"Thường xuyên"'):
        assert form in message


@pytest.mark.parametrize(
    ("kind", "due", "text"),
    [
        pytest.param(K.DAY, date(2025, 10, 30), "By 30/10/2025", id="a day"),
        pytest.param(K.DAY, date(2026, 3, 5), "By 05/03/2026", id="a day is zero-padded"),
        pytest.param(K.MONTH, date(2025, 12, 31), "Month 12/2025", id="a month"),
        pytest.param(K.QUARTER, date(2025, 12, 31), "Quarter IV/2025", id="quarter four"),
        pytest.param(K.QUARTER, date(2026, 3, 31), "Quarter I/2026", id="quarter one"),
        pytest.param(K.QUARTER, date(2026, 9, 30), "Quarter III/2026", id="quarter three"),
        pytest.param(K.YEAR, date(2026, 12, 31), "Year 2026", id="a year"),
        pytest.param(K.ANNUAL, None, "Annually", id="annual with no start"),
        pytest.param(K.MONTHLY, date(2025, 9, 30), "Monthly, first due 30/09/2025",
                     id="monthly with its first due date"),
        pytest.param(K.ONGOING, None, "Ongoing", id="ongoing"),
        pytest.param(K.UNSPECIFIED, None, "Not specified", id="unspecified"),
    ],
)
def test_format_deadline_in_english(kind, due, text):
    with override("en"):
        assert format_deadline(kind, due) == text


def test_format_deadline_in_vietnamese_writes_dates_day_first():
    with override("vi"):
        assert "30/10/2025" in format_deadline(K.DAY, date(2025, 10, 30))
        assert "IV/2025" in format_deadline(K.QUARTER, date(2025, 12, 31))


@pytest.mark.parametrize(
    ("kind", "on", "end"),
    [(K.MONTH, date(2024, 2, 10), date(2024, 2, 29)),
     (K.QUARTERLY, date(2025, 11, 5), date(2025, 12, 31)),
     (K.QUARTER, date(2025, 4, 1), date(2025, 6, 30)),
     (K.ANNUAL, date(2025, 1, 1), date(2025, 12, 31)),
     (K.DAY, date(2025, 1, 1), date(2025, 1, 1))],
)
def test_period_end(kind, on, end):
    assert period_end(kind, on) == end


@pytest.mark.parametrize(
    ("kind", "first_due", "on", "current", "previous"),
    [
        pytest.param(K.MONTHLY, date(2025, 9, 30), date(2025, 8, 1), date(2025, 9, 30), None,
                     id="monthly before the first occurrence: the first is current, none before"),
        pytest.param(K.MONTHLY, date(2025, 9, 30), date(2025, 9, 30), date(2025, 9, 30), None,
                     id="monthly on the first due date"),
        pytest.param(K.MONTHLY, date(2025, 9, 30), date(2025, 10, 1), date(2025, 10, 31),
                     date(2025, 9, 30), id="monthly the day after the first due date"),
        pytest.param(K.MONTHLY, date(2025, 9, 30), date(2026, 1, 15), date(2026, 1, 31),
                     date(2025, 12, 31), id="monthly across the year boundary"),
        pytest.param(K.MONTHLY, date(2024, 1, 31), date(2024, 3, 1), date(2024, 3, 31),
                     date(2024, 2, 29), id="monthly after a leap February"),
        pytest.param(K.QUARTERLY, date(2025, 12, 31), date(2025, 10, 1), date(2025, 12, 31),
                     None, id="quarterly within the first quarter"),
        pytest.param(K.QUARTERLY, date(2025, 12, 31), date(2026, 2, 1), date(2026, 3, 31),
                     date(2025, 12, 31), id="quarterly across the year boundary"),
        pytest.param(K.QUARTERLY, date(2025, 12, 31), date(2026, 7, 1), date(2026, 9, 30),
                     date(2026, 6, 30), id="quarterly mid year"),
        pytest.param(K.ANNUAL, date(2026, 12, 31), date(2025, 6, 1), date(2026, 12, 31), None,
                     id="annual before the first year"),
        pytest.param(K.ANNUAL, date(2025, 12, 31), date(2025, 12, 31), date(2025, 12, 31), None,
                     id="annual on 31 December of the first year"),
        pytest.param(K.ANNUAL, date(2025, 12, 31), date(2026, 1, 1), date(2026, 12, 31),
                     date(2025, 12, 31), id="annual on 1 January of the second year"),
        pytest.param(K.ANNUAL, date(2025, 12, 31), date(2027, 7, 1), date(2027, 12, 31),
                     date(2026, 12, 31), id="annual in the third year"),
    ],
)
def test_occurrences_on(kind, first_due, on, current, previous):
    occurrences = occurrences_on(kind, first_due, on)
    assert (occurrences.current_due, occurrences.previous_due) == (current, previous)


@pytest.mark.parametrize(("text", "kind", "due"), [
    ("Trong năm 2026", K.YEAR, date(2026, 12, 31)),
    ("Quý IV năm 2025", K.QUARTER, date(2025, 12, 31)),
    ("Quý 4/2025", K.QUARTER, date(2025, 12, 31)),
    ("Trong quý II/2026", K.QUARTER, date(2026, 6, 30)),
    ("Trước ngày 30/10/2025", K.DAY, date(2025, 10, 30)),
    ("Trước ngày 31 tháng 12 năm 2025", K.DAY, date(2025, 12, 31)),
    ("Tháng 12/2025", K.MONTH, date(2025, 12, 31)),
    ("Tháng 12 năm 2025", K.MONTH, date(2025, 12, 31)),
    ("6 tháng đầu năm 2026", K.MONTH, date(2026, 6, 30)),
    ("Năm 2025 - 2026", K.YEAR, date(2026, 12, 31)),
    ("Năm 2025-2026", K.YEAR, date(2026, 12, 31)),
    ("2026-2030", K.YEAR, date(2030, 12, 31)),
    ("Giai đoạn 2026 – 2030", K.YEAR, date(2030, 12, 31)),
    ("Thường xuyên", K.ONGOING, None),
    ("Hằng năm", K.ANNUAL, None),
    ("Hàng năm", K.ANNUAL, None),
])
def test_the_phrases_appendices_use_are_read(text, kind, due):
    assert parse_deadline(text) == ParsedDeadline(kind, due)


def test_a_period_that_ends_before_it_begins_is_refused():
    with override("en"), pytest.raises(DeadlineParseError, match="2030 - 2026 is not a period"):
        parse_deadline("2030-2026")
