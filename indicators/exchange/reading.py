"""Reading an annex of targets from an Excel workbook (.xlsx) or a CSV file into rows of text.

What annexes do is undone here: title lines above the header ("Phụ lục: Chỉ tiêu…"), a header
on two lines ("Mục tiêu" merged over "2030" and "2045", "Giá trị cơ sở" over "Giá trị" and
"Năm"), a line of column numbers, merged cells (their top-left value, repeated down a column),
blank lines. Numbers keep the way they read: a cell formatted as a percentage (0.955 shown
"95,5%") reads "95,5%", a decimal reads with a comma as Vietnamese writes it.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from tasks.exchange.cells import cell_text
from tasks.exchange.columns import header_key
from tasks.exchange.reading import (
    MAX_COLUMNS,
    MAX_UNPACKED_BYTES,
    XLSX,
    FileRefused,
    csv_grid,
    file_kind,
)

from .columns import (
    TARGET_PARENTS,
    TARGET_PREFIX,
    baseline_header_year,
    column_label,
    known_headers,
    recognise,
    target_year,
)

#: More than this many rows is refused (split the file).
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 30


@dataclass
class Row:
    number: int
    values: dict[str, str]


@dataclass
class Table:
    columns: list[str]
    header_row: int
    rows: list[Row] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    #: A year the baseline header itself gives ("Giá trị cơ sở năm 2024").
    baseline_year: int | None = None


def _number_text(value, number_format: str) -> str:
    """A number as the annex shows it: a percentage as "95,5%", a decimal with a comma."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return cell_text(value)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    percent = "%" in (number_format or "")
    if percent:
        number *= 100
    text = format(number.normalize(), "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", ",") + ("%" if percent else "")


def _xlsx_grid(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise FileRefused(_("This workbook is too large once unpacked."))
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except FileRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(_("This file is not a valid Excel workbook (.xlsx).")) from error
    sheet = workbook.worksheets[0]
    width = min(sheet.max_column or 0, MAX_COLUMNS)
    if (sheet.max_row or 0) > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise FileRefused(_("This file has more than %(max)s rows: split it.")
                          % {"max": f"{MAX_ROWS:,}".replace(",", ".")})
    merged = {}
    for cells in sheet.merged_cells.ranges:
        top_left = sheet.cell(cells.min_row, cells.min_col)
        text = _number_text(top_left.value, top_left.number_format)
        for row in range(cells.min_row, cells.max_row + 1):
            for column in range(cells.min_col, min(cells.max_col, width) + 1):
                merged[(row, column)] = text if column == cells.min_col else ""
    grid = []
    for number, cells in enumerate(sheet.iter_rows(max_col=width), start=1):
        grid.append([merged[(number, column)] if (number, column) in merged
                     else _number_text(cell.value, cell.number_format)
                     for column, cell in enumerate(cells, start=1)])
    return grid


def _is_column_numbering(texts: list[str]) -> bool:
    filled = [text for text in texts if text]
    return len(filled) >= 3 and all(re.fullmatch(r"\(?\d{1,2}\)?", text) for text in filled)


def _find_header(grid, known) -> tuple[int, dict[int, str]]:
    for index, texts in enumerate(grid[:HEADER_SEARCH_ROWS]):
        found: dict[int, str] = {}
        for column, text in enumerate(texts):
            key = recognise(text, known)
            if key and key not in found.values():
                found[column] = key
        if len(found) >= 3 and {"name", "code"} & set(found.values()):
            return index, found
    raise FileRefused(_(
        "No header row was found. The first rows must name the columns: at least the indicator "
        "(\"Tên chỉ tiêu\"), its code (\"Mã chỉ tiêu\" or \"STT\") and its unit of measure "
        "(\"Đơn vị tính\"). Download the template to see them."))


def _second_line(top: list[str], below: list[str], mapping: dict[int, str], known) -> bool:
    """Read the line under the header as its second line, if it is one: a year under a merged
    "Mục tiêu" is a target column, a known header under a merged parent ("Năm" under "Giá trị
    cơ sở") is that column. A line giving a code or a name is the first row of data, not a header:
    nothing is read from it. Returns whether it was a second line."""
    for column, key in mapping.items():
        if key in ("serial", "code", "name") and column < len(below) and below[column] and (
                below[column] != top[column]):
            return False  # an indicator's code or name: the first row of data
    found: dict[int, str] = {}
    parent = ""
    for column, text in enumerate(below):
        own = top[column] if column < len(top) else ""
        parent = own or parent
        if not text or text == own or (own and header_key(own) not in TARGET_PARENTS
                                       and column in mapping):
            continue  # empty, merged down over both lines, or under a column of its own
        year = target_year(text)
        if year is not None and header_key(parent) in TARGET_PARENTS:
            found[column] = f"{TARGET_PREFIX}{year}"
            continue
        key = recognise(text, known)
        if key and key not in mapping.values() and key not in found.values():
            found[column] = key
    mapping.update(found)
    return bool(found)


def table_read(*, content: bytes, name: str) -> Table:
    """The rows under the header of the file's first sheet, with each recognised column's text.
    Raises FileRefused when the file cannot be read as an annex of targets at all."""
    if not content:
        raise FileRefused(_("The file is empty."))
    if file_kind(content, name) == XLSX:
        grid = _xlsx_grid(content)
    else:
        grid = [[cell_text(value) for value in row] for row in csv_grid(content)]
    known = known_headers()
    header_index, mapping = _find_header(grid, known)
    top = grid[header_index]
    start = header_index + 1
    # A merged "Mục tiêu" parent keeps no column of its own once its years are read.
    for column, text in enumerate(top):
        if header_key(text) in TARGET_PARENTS and mapping.get(column) in (None, "name") and (
                start < len(grid) and column < len(grid[start])
                and target_year(grid[start][column] or "")):
            mapping.pop(column, None)
    if start < len(grid) and _second_line(top, grid[start], mapping, known):
        start += 1
    duplicates = {key for key in mapping.values() if list(mapping.values()).count(key) > 1}
    if duplicates:
        raise FileRefused(*[_("Two columns are both \"%(column)s\": keep one.")
                            % {"column": column_label(key)} for key in sorted(duplicates)])
    values = set(mapping.values())
    if not values & {"code", "serial"}:
        raise FileRefused(_("The file has no indicator code column (\"Mã chỉ tiêu\" or "
                            "\"STT\"): each indicator is matched by its code within the "
                            "resolution."))
    baseline_year = next((baseline_header_year(text) for column, text in enumerate(top)
                          if mapping.get(column) == "baseline" and baseline_header_year(text)),
                         None)
    table = Table(columns=[mapping[column] for column in sorted(mapping)],
                  header_row=header_index + 1, baseline_year=baseline_year,
                  ignored=[text for column, text in enumerate(top)
                           if text and column not in mapping
                           and header_key(text) not in TARGET_PARENTS])
    for index in range(start, len(grid)):
        texts = grid[index]
        if not any(texts) or _is_column_numbering(texts):
            continue
        table.rows.append(Row(number=index + 1, values={
            key: (texts[column] if column < len(texts) else "")
            for column, key in mapping.items()}))
        if len(table.rows) > MAX_ROWS:
            raise FileRefused(_("This file has more than %(max)s rows: split it.")
                              % {"max": f"{MAX_ROWS:,}".replace(",", ".")})
    return table
