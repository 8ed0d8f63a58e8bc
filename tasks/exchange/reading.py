"""Reading a task list from an Excel workbook (.xlsx) or a CSV file into rows of text.

What appendices do is undone here: title lines above the header, a header on two lines (merged
"Cơ quan thực hiện" over "Chủ trì" and "Phối hợp"), a line of column numbers under it, merged
cells (read as their top-left value, repeated down a column), blank lines.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .cells import cell_text
from .columns import BY_KEY, header_key, known_headers

#: More than this many rows of tasks is refused (split the file).
MAX_ROWS = 20_000
MAX_COLUMNS = 60
#: How far down the header is looked for.
HEADER_SEARCH_ROWS = 30
#: A workbook that unpacks to more than this is refused (a "zip bomb").
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

XLSX, CSV = "xlsx", "csv"


class FileRefused(Exception):
    """The file cannot be read as a task list; `messages` say why, for the user."""

    def __init__(self, *messages: str):
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


@dataclass
class Row:
    #: The row's number as the user sees it (the spreadsheet row; the record for a CSV file).
    number: int
    #: The text of each recognised column, by column key.
    values: dict[str, str]
    #: Every non-blank cell of the row, recognised or not, left to right.
    cells: list[str]


@dataclass
class Table:
    columns: list[str]
    header_row: int
    rows: list[Row] = field(default_factory=list)
    #: Headers that name no column the importer reads.
    ignored: list[str] = field(default_factory=list)


def file_kind(content: bytes, name: str) -> str:
    """XLSX or CSV, by content; FileRefused for anything else."""
    if content.startswith(b"PK\x03\x04"):
        return XLSX
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(_("This is an old Excel file (.xls). Open it in Excel and save it as "
                            "an Excel workbook (.xlsx), then upload that."))
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise FileRefused(_("This file is not a valid Excel workbook (.xlsx)."))
    if b"\x00" in content[:4096]:
        raise FileRefused(_("This file is neither an Excel workbook (.xlsx) nor a CSV file."))
    return CSV


def _xlsx_grid(content: bytes) -> list[list]:
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
    # A merged range is read as its top-left value. Down a column it is repeated (a lead unit
    # merged over two tasks is the lead of both); across a row it stays in its first column (a
    # heading merged across the row is one text, a lead merged over the coordinating cell is
    # not also coordinating).
    merged = {}
    for cells in sheet.merged_cells.ranges:
        top_left = sheet.cell(cells.min_row, cells.min_col).value
        for row in range(cells.min_row, cells.max_row + 1):
            for column in range(cells.min_col, min(cells.max_col, width) + 1):
                merged[(row, column)] = top_left if column == cells.min_col else None
    grid = []
    blank_run = 0
    for number, values in enumerate(sheet.iter_rows(max_col=width, values_only=True), start=1):
        row = [merged.get((number, column), value)
               for column, value in enumerate(values, start=1)]
        grid.append(row)
        blank_run = blank_run + 1 if all(value in (None, "") for value in row) else 0
        if len(grid) > MAX_ROWS + HEADER_SEARCH_ROWS + blank_run:
            raise FileRefused(_("This file has more than %(max)s rows: split it.")
                              % {"max": f"{MAX_ROWS:,}".replace(",", ".")})
    return grid


def _csv_grid(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(_("This CSV file is not in UTF-8. In Excel, save it as \"CSV UTF-8 "
                            "(Comma delimited)\".")) from error
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    grid = []
    for row in csv.reader(io.StringIO(text, newline=""), dialect):
        grid.append(row[:MAX_COLUMNS])
        if len(grid) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise FileRefused(_("This file has more than %(max)s rows: split it.")
                              % {"max": f"{MAX_ROWS:,}".replace(",", ".")})
    return grid


def csv_grid(content: bytes) -> list[list]:
    """The cells of a CSV file (UTF-8, delimiter sniffed), row by row; FileRefused when it
    cannot be read. Shared with the other importers."""
    return _csv_grid(content)


def estimate_rows(*, content: bytes, name: str) -> int:
    """Roughly how many rows the file has, cheaply (to decide whether to work in the
    background). Never raises: a file that cannot be read is small work."""
    try:
        if file_kind(content, name) == CSV:
            return content.count(b"\n")
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        if (sheet.max_row or 0) > 1:
            return sheet.max_row
        # No dimension recorded in the file (some programs omit it): count, streaming.
        return sum(1 for _row in sheet.iter_rows(values_only=True))
    except Exception:  # the real reading reports what is wrong
        return 0


def _is_column_numbering(texts: list[str]) -> bool:
    """A line of column numbers under the header: "1 2 3 …" or "(1) (2) (3) …"."""
    filled = [text for text in texts if text]
    return len(filled) >= 3 and all(re.fullmatch(r"\(?\d{1,2}\)?", text) for text in filled)


def _find_header(grid: list[list[str]], known: dict[str, str]) -> tuple[int, dict[int, str]]:
    for index, texts in enumerate(grid[:HEADER_SEARCH_ROWS]):
        found = {}
        for column, text in enumerate(texts):
            key = known.get(header_key(text)) if text else None
            if key and key not in found.values():
                found[column] = key
        if len(found) >= 2 and {"title", "code"} & set(found.values()):
            return index, found
    raise FileRefused(_(
        "No header row was found. The first rows must name the columns: at least the task code "
        "(\"Mã nhiệm vụ\" or \"TT\") and the task (\"Nhiệm vụ\"). Download the template to see "
        "them."))


def table_read(*, content: bytes, name: str) -> Table:
    """The task rows of the file's first sheet, with the column each value is in.

    Raises FileRefused when the file cannot be read as a task list at all.
    """
    if not content:
        raise FileRefused(_("The file is empty."))
    raw = _xlsx_grid(content) if file_kind(content, name) == XLSX else _csv_grid(content)
    grid = [[cell_text(value) for value in row] for row in raw]
    known = known_headers()
    header_index, mapping = _find_header(grid, known)

    # A header on two lines: the line below names columns the first left unnamed (or named
    # only as a merged parent such as "Cơ quan thực hiện").
    start = header_index + 1
    if start < len(grid):
        below = {}
        for column, text in enumerate(grid[start]):
            key = known.get(header_key(text)) if text else None
            if key and mapping.get(column) != key and key not in mapping.values():
                below[column] = key
        if below:
            mapping.update(below)
            start += 1
    header_cells = grid[header_index]
    ignored = [text for column, text in enumerate(header_cells)
               if text and column not in mapping and not known.get(header_key(text))]

    # Columns an export adds for information (status, due date…) are known but not read.
    mapping = {column: key for column, key in mapping.items() if BY_KEY[key].importable}
    duplicates = {key for key in mapping.values() if list(mapping.values()).count(key) > 1}
    if duplicates:
        raise FileRefused(*[_("Two columns are both \"%(column)s\": keep one.")
                            % {"column": BY_KEY[key].label} for key in sorted(duplicates)])
    if "code" not in mapping.values():
        raise FileRefused(_("The file has no task code column (\"Mã nhiệm vụ\" or \"TT\"): each "
                            "task is matched by its code within the resolution."))

    table = Table(columns=[mapping[column] for column in sorted(mapping)],
                  header_row=header_index + 1, ignored=ignored)
    for index in range(start, len(grid)):
        texts = grid[index]
        cells = [text for text in texts if text]
        if not cells or _is_column_numbering(texts):
            continue
        values = {key: (texts[column] if column < len(texts) else "")
                  for column, key in mapping.items()}
        table.rows.append(Row(number=index + 1, values=values, cells=cells))
        if len(table.rows) > MAX_ROWS:
            raise FileRefused(_("This file has more than %(max)s rows: split it.")
                              % {"max": f"{MAX_ROWS:,}".replace(",", ".")})
    return table
