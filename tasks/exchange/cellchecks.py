"""Checking an import row's cells one column at a time: what each names (texts, units, the
competent authority, the deadline) or the row's errors, noted on the plan."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from units.models import Unit

from ..deadlines import ParsedDeadline
from ..models import Resolution, Task
from ..services import deadline_resolve
from .columns import BY_KEY
from .matching import UnitIndex, authority_index, find_authority
from .plans import ImportPlan

#: Plain text fields a file may set, with their database length limit (None: no limit).
TEXT_FIELDS = {"title": None, "title_en": None, "description": None, "notes": None,
               "responsible_official": 255}


class CellChecks:
    """Reads the cells of the columns a file has, noting each error on the plan. One instance
    per import (it holds the indexes of units and authorities)."""

    def __init__(self, *, resolution: Resolution, plan: ImportPlan, present: set[str],
                 unit_map: dict[str, Unit] | None = None):
        self.resolution = resolution
        self.plan = plan
        self.present = present
        self.units = UnitIndex.load(extra=unit_map)
        self.authorities = authority_index()
        #: {code: task} of the resolution this one implements, read when the column is there.
        self.parents: dict[str, Task] | None = None

    def implements(self, row, code: str) -> Task | None | bool:
        """The task of the programme above that the row's task breaks down (by its code there);
        None for an empty cell, False when the column is absent or after noting the error."""
        if "implements" not in self.present:
            return False
        text = " ".join(row.values["implements"].split()).rstrip(".")
        if not text:
            return None
        if not self.resolution.implements_id:
            self.plan.add_error(row, _("%(resolution)s implements no other resolution: the "
                                       "column of the task implemented must stay empty.")
                                % {"resolution": self.resolution.number}, code)
            return False
        if self.parents is None:
            self.parents = {task.code: task for task in Task.objects.filter(
                resolution_id=self.resolution.implements_id).only("pk", "code", "resolution_id",
                                                                  "implements_id")}
        parent = self.parents.get(text)
        if parent is None:
            self.plan.add_error(row, _("%(programme)s has no task %(code)s: write the code of "
                                       "the task implemented as it is in that programme.")
                                % {"programme": self.resolution.implements.number, "code": text},
                                code)
            return False
        return parent

    def texts(self, row, code: str, task: Task | None) -> dict[str, str]:
        texts = {}
        for name, limit in TEXT_FIELDS.items():
            if name not in self.present:
                continue
            text = row.values[name]
            if limit and len(text) > limit:
                self.plan.add_error(row, _("%(column)s is too long (%(max)s characters at most).")
                                    % {"column": BY_KEY[name].label, "max": limit}, code)
            texts[name] = text
        if texts.get("title") == "" or (task is None and "title" not in texts):
            self.plan.add_error(row, _("The task itself (what is to be done) is missing."), code)
        return texts

    def unit_list(self, row, code: str, text: str) -> tuple[list[Unit], bool]:
        """The units a cell names, and whether it named only units found, each once."""
        found, unknown, ambiguous = self.units.find_list(text)
        for name in unknown:
            self.plan.unknown_units.setdefault(name, []).append(row.number)
            self.plan.add_error(row, _("Unit not found: \"%(name)s\". Write its name or code as "
                                       "it is in the list of units.") % {"name": name}, code)
        for name, units in ambiguous:
            self.plan.add_error(row, _("\"%(name)s\" could be several units (%(codes)s): write "
                                       "the unit's code.")
                                % {"name": name, "codes": ", ".join(u.code for u in units)}, code)
        return found, not unknown and not ambiguous

    def lead(self, row, code: str, task: Task | None) -> Unit | None:
        if "lead_unit" not in self.present:
            if task is None:
                self.plan.add_error(row, _("The lead unit is missing."), code)
            return None
        text = row.values["lead_unit"]
        if not text:
            self.plan.add_error(row, _("The lead unit is missing."), code)
            return None
        units, ok = self.unit_list(row, code, text)
        if ok and len(units) > 1:
            self.plan.add_error(
                row, _("A task has one lead unit; this cell names %(count)s (%(names)s). Put "
                       "the others under coordinating units.")
                % {"count": len(units), "names": "; ".join(u.name for u in units)}, code)
            return None
        return units[0] if ok and units else None

    def coordinating(self, row, code: str) -> list[Unit] | None:
        if "coordinating_units" not in self.present:
            return None
        units, _ok = self.unit_list(row, code, row.values["coordinating_units"])
        return units

    def authority(self, row, code: str) -> str | None:
        if "competent_authority" not in self.present:
            return None
        text = row.values["competent_authority"]
        value = find_authority(text, self.authorities)
        if value is None:
            self.plan.add_error(
                row, _("\"%(text)s\" is not a competent authority this system knows (for "
                       "example \"Chính phủ\", \"Thủ tướng Chính phủ\", \"Bộ trưởng\").")
                % {"text": text}, code)
        return value

    def deadline(self, row, code: str, text: str) -> ParsedDeadline | None:
        try:
            return deadline_resolve(text=text, resolution=self.resolution)
        except ValidationError as error:
            for message in error.message_dict.get("deadline", error.messages):
                self.plan.add_error(row, message, code)
            return None
