"""Writing tables to Excel (.xlsx) and CSV files that are safe to open.

Every text cell is inert: in a workbook it is stored as text and marked so (Excel's "quote
prefix") when it would otherwise start a formula; in a CSV file such a text gets a leading
apostrophe. `cells.restore` undoes the latter, so a file exported here imports back exactly.
Dates are written dd/mm/yyyy (real dates in a workbook, shown dd/mm/yyyy).
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from core.text import dmy

from .cells import clean_text, needs_quote_prefix, neutralise

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "DD/MM/YYYY"


@dataclass
class SheetSpec:
    title: str
    header: list[str]
    rows: Iterable[list]
    widths: list[int] = field(default_factory=list)
    #: Lines above the header (a title, a date), each in the first column.
    heading: list[str] = field(default_factory=list)


def _text(value: str) -> str:
    return clean_text(value)


def _xlsx_cell(sheet, value, styles):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        cell.alignment = styles["top"]
        return cell
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float):
        cell = WriteOnlyCell(sheet, value=value)
        cell.alignment = styles["top"]
        return cell
    text = _text(str(value))
    # A text starting with an apostrophe keeps one more, which reading removes (cells.restore).
    cell = WriteOnlyCell(sheet, value=neutralise(text) if text.startswith("'") else text)
    cell.data_type = "s"  # never a formula, never an error code, whatever the text
    if needs_quote_prefix(text):
        cell.quotePrefix = True
    cell.alignment = styles["wrap"]
    return cell


def xlsx_bytes(sheets: list[SheetSpec], *, progress=None, total: int | None = None) -> bytes:
    """A workbook of the sheets (written row by row: thousands of rows take little memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    styles = {"wrap": Alignment(wrap_text=True, vertical="top"),
              "top": Alignment(vertical="top"), "bold": Font(bold=True)}
    workbook = Workbook(write_only=True)
    written = 0
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        header_row = len(spec.heading) + 1
        sheet.freeze_panes = f"A{header_row + 1}"
        for line in spec.heading:
            cell = WriteOnlyCell(sheet, value=_text(line))
            cell.data_type = "s"
            cell.font = styles["bold"]
            sheet.append([cell])
        header = []
        for text in spec.header:
            cell = WriteOnlyCell(sheet, value=_text(text))
            cell.data_type = "s"
            cell.font = styles["bold"]
            cell.alignment = styles["wrap"]
            header.append(cell)
        sheet.append(header)
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, value, styles) for value in row])
            written += 1
            if progress and total and written % 100 == 0:
                progress(written / total)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return dmy(value)
    if isinstance(value, bool | int | float):
        return str(value)
    return neutralise(_text(str(value)))


def csv_bytes(spec: SheetSpec, *, progress=None, total: int | None = None) -> bytes:
    """A CSV file in UTF-8 with a byte order mark (so Excel reads Vietnamese right)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_value(text) for text in spec.header])
    for index, row in enumerate(spec.rows, start=1):
        writer.writerow([_csv_value(value) for value in row])
        if progress and total and index % 100 == 0:
            progress(index / total)
    return buffer.getvalue().encode("utf-8-sig")
