"""Which rows of an appendix are headings rather than tasks, in the forms ministries circulate:

- a group row: "I. HEADING" in one cell (maybe merged across the row); a Roman numeral in the
  number column with the heading in the next cell (or merged across the rest of the row);
  "Nhóm 2: …"; and, when the tasks are numbered "1.1" or "a)", a plain "1" with its heading;
- a sub-heading: a numbered row ("1.", "1.1", "a)") with a text but no unit, output or deadline,
  followed by tasks. Its tasks keep it: lettered codes ("a)") take its number ("1.1.a"), and
  its text opens their description.

A sub-heading (or an Arabic-numbered group) not followed by a task numbered under it is read as
a task, so the row's missing unit or deadline is reported instead of the row disappearing.
"""

import re
from dataclasses import dataclass

from .matching import _roman, group_reference, is_group_heading
from .reading import Row, Table

GROUP, SUBHEADING = "group", "subheading"

#: Columns only a task fills: a row with any of them is a task.
TASK_COLUMNS = ("lead_unit", "coordinating_units", "outputs", "competent_authority", "deadline",
                "responsible_official")
_ROMAN_CODE = re.compile(r"(?i)^(?:(?:phần|mục|nhóm|part|group)\s+)?([ivxl]{1,6})[.:)]?$")
_WORD_NUMBER = re.compile(r"(?i)^(?:phần|mục|nhóm|part|group)\s+\d{1,2}[.:)]?$")
_ARABIC = re.compile(r"^\d{1,2}[.)]?$")
_DOTTED = re.compile(r"^\d{1,2}(?:\.\d{1,3})+\.?$")
_LETTER = re.compile(r"(?i)^([a-zđ])[.)]$")


@dataclass(frozen=True)
class Heading:
    kind: str
    #: A group's number (None when the heading gives only a name).
    number: int | None = None
    name: str = ""
    #: A sub-heading's number as written ("1.1", "a"), without its punctuation.
    code: str = ""

    @property
    def label(self) -> str:
        """A sub-heading as its tasks keep it in their description."""
        return f"{self.code}. {self.name}" if self.code and self.name else self.name or self.code


def letter_code(code: str) -> str | None:
    """The letter of a lettered task code ("a)", "b."), or None."""
    match = _LETTER.match(code.strip())
    return match[1].lower() if match else None


def _bare(row: Row) -> bool:
    return not any(row.values.get(key, "").strip() for key in TASK_COLUMNS)


def _split(row: Row) -> tuple[str, list[str]]:
    """The row's number cell, and its other distinct texts in order."""
    code = row.values.get("code", "").strip()
    rest = [text for text in dict.fromkeys(row.cells) if text != code]
    return code, rest


def _candidate(row: Row, arabic_groups: bool) -> Heading | None:
    if len(set(row.cells)) == 1 and is_group_heading(row.cells):
        return Heading(GROUP, *group_reference(row.cells[0]))
    code, rest = _split(row)
    if not code or not _bare(row) or len(rest) > 1:
        return None
    name = rest[0] if rest else ""
    roman = _ROMAN_CODE.match(code)
    if roman and _roman(roman[1]):
        return Heading(GROUP, _roman(roman[1]), name)
    if _WORD_NUMBER.match(code):
        return Heading(GROUP, group_reference(code)[0], name)
    if not name:
        return None
    if _ARABIC.match(code) and arabic_groups:
        return Heading(GROUP, int(code.rstrip(".)")), name)
    if _ARABIC.match(code) or _DOTTED.match(code) or _LETTER.match(code):
        return Heading(SUBHEADING, name=name, code=code.rstrip(".)"))
    return None


def _uses_arabic_groups(rows: list[Row]) -> bool:
    """Whether groups are numbered 1, 2…: no Roman group row, and tasks numbered "1.1" or
    "a)"."""
    for row in rows:
        code, rest = _split(row)
        if _ROMAN_CODE.match(code) and _bare(row) and len(rest) <= 1:
            return False
        if len(set(row.cells)) == 1 and is_group_heading(row.cells):
            return False
    return any((_DOTTED.match(code) or _LETTER.match(code)) and not _bare(row)
               for row in rows for code in [row.values.get("code", "").strip()])


def table_headings(table: Table) -> dict[int, Heading]:
    """{index of the row in table.rows: its heading} for every row that is one."""
    rows = table.rows
    arabic_groups = _uses_arabic_groups(rows)
    found = {index: heading for index, row in enumerate(rows)
             if (heading := _candidate(row, arabic_groups)) is not None}
    # A sub-heading or an Arabic-numbered group must head a task numbered under it ("a)",
    # "1.1" under "1"); else it is a task lacking its unit and deadline, reported as such.
    for index in sorted(found, reverse=True):
        heading = found[index]
        code = rows[index].values.get("code", "").strip().rstrip(".)")
        if heading.kind == GROUP and not (_ARABIC.match(code) and arabic_groups):
            continue
        following = index + 1
        while following in found and heading.kind == GROUP and found[following].kind == \
                SUBHEADING:
            following += 1
        if following >= len(rows) or following in found or not _under(
                code, rows[following].values.get("code", "").strip()):
            del found[index]
    return found


def _under(code: str, task_code: str) -> bool:
    """Whether a task's code is numbered under a heading's: "a)", or "1.2" under "1"."""
    return bool(letter_code(task_code)) or task_code.startswith(code + ".")
