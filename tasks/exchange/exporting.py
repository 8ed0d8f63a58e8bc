"""Exporting a task list, and the template to fill in for an import.

The export has the importer's columns (in the user's language) followed by columns for
information (the current due date, the status class, the completion date, the clarities a task
lacks), which the importer ignores: an exported file imports back without any change.
"""

from collections import Counter
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.text import dmy
from units.models import Unit

from ..deadlines import (
    ONE_OFF_KINDS,
    RECURRING_KINDS,
    ROMAN,
    DeadlineKind,
    occurrences_on,
)
from ..models import Authority, Output, Resolution, Task
from ..rules import StatusClass, task_clarity_gaps, task_status_class
from . import columns as c
from .writing import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, SheetSpec, csv_bytes, xlsx_bytes

FORMATS = {"xlsx": XLSX_CONTENT_TYPE, "csv": CSV_CONTENT_TYPE}


def deadline_as_written(task: Task) -> str:
    """The deadline as the programme wrote it; when nothing was written, the same deadline in
    the programme's own words ("Quý IV/2025"), which the importer reads back to the same."""
    if task.deadline_text:
        return task.deadline_text
    kind, due = task.deadline_kind, task.deadline
    if kind == DeadlineKind.DAY:
        return dmy(due)
    if kind == DeadlineKind.MONTH:
        return f"Tháng {due.month:02d}/{due.year}"
    if kind == DeadlineKind.QUARTER:
        return f"Quý {ROMAN[(due.month - 1) // 3 + 1]}/{due.year}"
    if kind == DeadlineKind.YEAR:
        return f"Năm {due.year}"
    if kind == DeadlineKind.MONTHLY:
        return f"Hằng tháng, từ tháng {due.month:02d}/{due.year}"
    if kind == DeadlineKind.QUARTERLY:
        return f"Hằng quý, từ quý {ROMAN[(due.month - 1) // 3 + 1]}/{due.year}"
    if kind == DeadlineKind.ANNUAL:
        return f"Hằng năm, từ năm {due.year}"
    if kind == DeadlineKind.ONGOING:
        return "Thường xuyên"
    return ""


def current_due(task: Task, on: date) -> date | None:
    if task.deadline_kind in RECURRING_KINDS:
        return occurrences_on(task.deadline_kind, task.deadline, on).current_due
    return task.deadline if task.deadline_kind in ONE_OFF_KINDS else None


def tasks_for_export(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """The tasks with everything a row needs, in a fixed number of queries; in the queryset's
    order, else in programme order."""
    tasks = (queryset.select_related("resolution", "group", "lead_unit", "implements")
             .prefetch_related("coordinating_units", "lead_unit__members",
                               "occurrence_completions",
                               Prefetch("outputs",
                                        queryset=Output.objects.order_by("position", "id"))))
    if not tasks.query.order_by:
        tasks = tasks.order_by("resolution__issued_on", "resolution__number", "sort_key", "pk")
    return tasks


class UnitNames:
    """A unit as the file names it: its name, or its code when another unit has the same name
    (so that the file names one unit only)."""

    def __init__(self):
        self.shared = {name for name, count in
                       Counter(Unit.objects.values_list("name", flat=True)).items() if count > 1}

    def __call__(self, unit: Unit) -> str:
        return unit.code if unit.name in self.shared else unit.name


def task_rows(tasks, *, on: date):
    """Each task as a row of EXPORT_COLUMNS."""
    name = UnitNames()
    authorities = dict(Authority.choices)
    for task in tasks:
        gaps = task_clarity_gaps(task=task)
        yield [
            task.resolution.number,
            task.code,
            f"{task.group.number}. {task.group.display_name}",
            task.title,
            name(task.lead_unit),
            "; ".join(name(unit) for unit in task.coordinating_units.all()),
            "\n".join(output.title for output in task.outputs.all()),
            str(authorities.get(task.competent_authority, "")),
            deadline_as_written(task),
            task.responsible_official,
            task.description,
            task.title_en,
            getattr(task, "current_due", None) if hasattr(task, "status_class")
            else current_due(task, on),
            str(StatusClass(getattr(task, "status_class", None)
                            or task_status_class(task=task, on=on)).label),
            task.completed_on,
            "; ".join(str(gap.label) for gap in gaps),
            task.notes,
            task.implements.code if task.implements_id else "",
        ]


def export_filename(*, stem: str, extension: str, on: date) -> str:
    return f"{slugify(stem.replace('/', '-'))}-{on:%Y-%m-%d}.{extension}"


def tasks_export(queryset: QuerySet[Task], *, file_format: str, title: str = "",
                 progress=None) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the tasks as a workbook or CSV file."""
    on = timezone.localdate()
    tasks = tasks_for_export(queryset)
    total = tasks.count() if progress else None
    spec = SheetSpec(
        title=pgettext("page", "Tasks"), header=[str(column.label) for column in c.EXPORT_COLUMNS],
        rows=task_rows(tasks.iterator(chunk_size=500), on=on),
        widths=[column.width for column in c.EXPORT_COLUMNS],
        heading=[title or _("Task list"), _("Exported on %(day)s") % {"day": dmy(on)}],
    )
    stem = _("tasks") + (f"-{title}" if title else "")
    if file_format == "csv":
        content = csv_bytes(spec, progress=progress, total=total)
    else:
        content = xlsx_bytes([spec], progress=progress, total=total)
    return content, export_filename(stem=stem, extension=file_format, on=on), FORMATS[file_format]


# --- The template -------------------------------------------------------------------------------

DEADLINE_EXAMPLES = ["30/10/2025", "Trước 30/10/2025", "Tháng 12/2025", "Trước tháng 12/2025",
                     "Quý IV/2025", "Năm 2026", "Hằng tháng", "Hằng quý", "Hằng năm",
                     "Hằng năm, từ năm 2026", "Thường xuyên"]


def import_template(*, resolution: Resolution) -> tuple[bytes, str]:
    """(content, file name) of the workbook to fill in: the columns to import (code and deadline
    kept as text), then a sheet explaining each column with the accepted values (the
    resolution's groups, deadline forms, competent authorities) and a sheet of units."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("page", "Tasks")[:31]
    guide = workbook.create_sheet(_("Instructions")[:31])
    units_sheet = workbook.create_sheet(_("Units")[:31])

    template_columns = c.PLAN_TEMPLATE_COLUMNS if resolution.implements_id else c.TEMPLATE_COLUMNS
    for index, column in enumerate(template_columns, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.label))
        cell.font, cell.alignment = bold, wrap
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in ("code", "deadline"):
            # Kept as typed: "2.10" stays a code (not the number 2.1), "30/10/2025" stays text.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"

    explanations = {
        "code": _("Required. The task's code in the programme, e.g. 2.5. A task is matched by "
                  "its code: importing again updates it."),
        "group": _("The group's number (1, 2… or I, II…), or put a heading row \"I. Name of the "
                   "group\" above its tasks. A new number with its name creates the group."),
        "title": _("Required. What is to be done."),
        "lead_unit": _("Required. One unit, by its name or code (see the Units sheet); a "
                       "collective designation such as \"UBND các tỉnh, thành phố trực thuộc "
                       "trung ương\" is accepted."),
        "coordinating_units": _("Any number of units, separated by semicolons or on separate "
                                "lines."),
        "outputs": _("One result or product per line, e.g. \"Nghị định …\", \"Thông tư …\", "
                     "\"Báo cáo …\"."),
        "competent_authority": _("Who approves or issues the product (see the list below)."),
        "deadline": _("As the programme writes it (see the forms below). A deadline already "
                      "imported changes only with the decision that allows it."),
        "responsible_official": _("The official answering for the task."),
        "description": _("Optional details."),
        "notes": _("Optional: remarks kept with the task (the appendix's \"Ghi chú\")."),
        "title_en": _("Optional: the task in English."),
        "implements": _("Optional, for a plan: the code of the task of %(programme)s that this "
                        "task breaks down, e.g. 2.5.")
        % {"programme": resolution.implements.number if resolution.implements_id else ""},
    }
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 90
    guide.append([_("Column"), _("What to write")])
    for column in template_columns:
        guide.append([str(column.label), str(explanations[column.key])])
    guide.append([])
    guide.append([_("Deadline forms accepted")])
    for example in DEADLINE_EXAMPLES:
        guide.append(["", example])
    guide.append([])
    guide.append([_("Competent authorities")])
    first_authority = guide.max_row + 1
    for _value, label in Authority.choices:
        guide.append(["", str(label)])
    last_authority = guide.max_row
    guide.append([])
    guide.append([_("Groups of %(resolution)s") % {"resolution": resolution.number}])
    for group in resolution.groups.order_by("number"):
        guide.append([str(group.number), group.display_name])
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = wrap
            if cell.column == 1 and cell.value and not str(cell.value).isdigit():
                cell.font = bold

    authority_column = get_column_letter(
        [column.key for column in template_columns].index("competent_authority") + 1)
    choice = DataValidation(type="list", allow_blank=True, showErrorMessage=False,
                            formula1=f"'{guide.title}'!$B${first_authority}:$B${last_authority}")
    choice.add(f"{authority_column}2:{authority_column}2000")
    sheet.add_data_validation(choice)

    units_sheet.append([_("Code"), _("Name"), _("Kind")])
    for cell in units_sheet[1]:
        cell.font = bold
    units_sheet.column_dimensions["A"].width = 16
    units_sheet.column_dimensions["B"].width = 60
    units_sheet.column_dimensions["C"].width = 30
    for unit in Unit.objects.filter(is_active=True).order_by("path"):
        units_sheet.append([unit.code, unit.name, str(unit.get_kind_display())])

    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    on = timezone.localdate()
    stem = _("task-template") + f"-{resolution.number}"
    return buffer.getvalue(), export_filename(stem=stem, extension="xlsx", on=on)
