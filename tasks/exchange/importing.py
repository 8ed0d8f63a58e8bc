"""Importing a programme's task list: check every row, show what would change, then write.

`import_plan` reads nothing but the database and the file, and says, row by row, what would be
created or changed and every error (with the row's number and the reason, in the active
language). `import_apply` writes a plan without errors, all or nothing, through the services
(each change audited with the actor). Tasks are matched by their code within the resolution, so
importing the same file again changes nothing and an edited file updates what was edited.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from units.models import Unit

from ..models import Authority, Output, Resolution, Task
from ..services import (
    OutputSpec,
    deadline_resolve,
    group_create,
    task_change_deadline,
    task_create,
    task_update,
)
from .cells import loose_key, same_text
from .columns import BY_KEY
from .matching import (
    GroupIndex,
    UnitIndex,
    authority_index,
    find_authority,
    group_reference,
    guess_output_kind,
    is_group_heading,
    split_lines,
)
from .reading import Table

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
#: Plain text fields a file may set, with their database length limit (None: no limit).
TEXT_FIELDS = {"title": None, "title_en": None, "description": None,
               "responsible_official": 255}


@dataclass(frozen=True)
class ImportOptions:
    #: The code column numbers tasks within each group ("1, 2, 3" under group II): the code
    #: becomes "2.1", "2.2"…
    number_within_group: bool = False


@dataclass(frozen=True)
class Decision:
    """The decision that allows the deadline changes a file makes."""

    number: str
    date: date
    authority: str
    reason: str = ""


@dataclass
class RowPlan:
    number: int
    code: str
    action: str = UNCHANGED
    task: Task | None = None
    #: The group: an existing one, or the number of one the import creates.
    group: object = None
    fields: dict = field(default_factory=dict)
    coordinating: list[Unit] | None = None
    outputs: list[OutputSpec] | None = None
    deadline_text: str | None = None
    changes: list[dict] = field(default_factory=list)
    deadline_change: dict | None = None


@dataclass
class ImportPlan:
    resolution: Resolution
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    unknown_units: dict[str, list[int]] = field(default_factory=dict)
    new_groups: dict[int, str] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    not_in_file: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def deadline_changes(self) -> list[dict]:
        return [row.deadline_change for row in self.rows if row.deadline_change]

    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for row in self.rows:
            counts[row.action] += 1
        return {**counts, "rows": len(self.rows), "errors": len(self.errors),
                "not_in_file": self.not_in_file, "groups": len(self.new_groups)}

    def report(self) -> dict:
        """What the preview shows, as JSON: the rows that change, every error, the units not
        found, the groups and deadline changes the file brings."""
        return {
            "resolution": self.resolution.number,
            "counts": self.counts(),
            "columns": [str(BY_KEY[key].label) for key in self.columns],
            "ignored": self.ignored,
            "errors": self.errors,
            "unknown_units": [{"name": name, "rows": rows}
                              for name, rows in sorted(self.unknown_units.items())],
            "new_groups": [{"number": number, "name": name}
                           for number, name in sorted(self.new_groups.items())],
            "deadline_changes": self.deadline_changes,
            "rows": [{"row": row.number, "code": row.code, "action": row.action,
                      "changes": row.changes} for row in self.rows if row.action != UNCHANGED],
        }


def fingerprint(report: dict) -> str:
    """A digest of what a preview announced, to check that confirming writes the same."""
    return hashlib.sha256(json.dumps(report, sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


def file_error(message: str) -> dict:
    return {"row": None, "code": "", "message": message}


# --- Checking ---------------------------------------------------------------------------------


def _existing_tasks(resolution: Resolution) -> dict[str, Task]:
    outputs = Output.objects.order_by("position", "id")
    tasks = (Task.objects.filter(resolution=resolution)
             .select_related("group", "lead_unit", "resolution")
             .prefetch_related("coordinating_units", Prefetch("outputs", queryset=outputs)))
    return {task.code: task for task in tasks}


def _normal_code(text: str) -> str:
    code = " ".join(text.split())
    if code.rstrip(".").replace(".", "").isdigit():
        code = code.rstrip(".")  # "1." as appendices number their rows
    return code


class _Checker:
    """Turns the rows of a file into a plan. One instance per import."""

    def __init__(self, *, resolution: Resolution, table: Table, options: ImportOptions):
        self.resolution = resolution
        self.table = table
        self.options = options
        self.present = set(table.columns)
        self.plan = ImportPlan(resolution=resolution, columns=table.columns,
                               ignored=table.ignored)
        self.units = UnitIndex.load()
        self.groups = GroupIndex.load(resolution)
        self.authorities = authority_index()
        self.tasks = _existing_tasks(resolution)
        self.seen_codes: dict[str, int] = {}
        #: The group the last heading row set (False: none yet; None: a heading in error).
        self.section = False
        self.group_reported = False

    # Errors --------------------------------------------------------------------------------

    def error(self, row, message: str, code: str = "") -> None:
        self.plan.errors.append({"row": row.number, "code": code, "message": message})

    # Rows ----------------------------------------------------------------------------------

    def run(self, progress: Callable[[float], None] | None = None) -> ImportPlan:
        rows = self.table.rows
        for index, row in enumerate(rows):
            if is_group_heading(row.cells):
                self.section = self._note_group(row, *group_reference(row.cells[0]))
            else:
                self.check_row(row)
            if progress and index % 50 == 0:
                progress(index / len(rows))
        in_file = {plan.code for plan in self.plan.rows}
        self.plan.not_in_file = len(self.tasks.keys() - in_file)
        if not rows:
            self.plan.errors.append(file_error(_("The file has a header but no task rows.")))
        return self.plan

    def _note_group(self, row, number: int | None, name: str):
        """The group a row or heading names: an existing group, a number the import creates
        (when the name is given too), or None after reporting the error."""
        group = self.groups.find(number, name)
        if group is not None:
            return group
        if number is not None and name:
            self.plan.new_groups.setdefault(number, name)
            return number
        if number is not None and number in self.plan.new_groups:
            return number
        if number is not None:
            self.error(row, _("Group %(number)s does not exist in %(resolution)s. Add it, or "
                              "write its name after the number (\"%(number)s. …\") to create it.")
                       % {"number": number, "resolution": self.resolution.number})
        else:
            self.error(row, _("No group of %(resolution)s is called \"%(name)s\". Write the "
                              "group's number.") % {"resolution": self.resolution.number,
                                                    "name": name})
        return None

    def check_row(self, row) -> None:
        values = row.values
        errors_before = len(self.plan.errors)
        written_resolution = values.get("resolution", "")
        if written_resolution and loose_key(written_resolution) != loose_key(
                self.resolution.number):
            self.error(row, _("This row belongs to %(other)s, not to %(resolution)s.")
                       % {"other": written_resolution, "resolution": self.resolution.number})
            return

        group = None
        group_text = values.get("group", "")
        if group_text:
            group = self._note_group(row, *group_reference(group_text))
        elif self.section is not False:
            group = self.section
        # Under a heading already reported as wrong, the row's own group error would repeat it.
        self.group_reported = not group_text and self.section is None

        code = _normal_code(values.get("code", ""))
        if not code:
            self.error(row, _("The task code is missing: every task needs one (for example "
                              "\"2.5\"), to be matched when the file is imported again."))
            return
        if self.options.number_within_group and code.isdigit():
            number = group.number if hasattr(group, "number") else group
            if number is None:
                self.error(row, _("Code %(code)s is numbered within its group, but the row has "
                                  "no group.") % {"code": code}, code)
                return
            code = f"{number}.{code}"
        if len(code) > 20:
            self.error(row, _("The code \"%(code)s\" is too long (20 characters at most).")
                       % {"code": code}, code)
            return
        if code in self.seen_codes:
            message = _("Code %(code)s is already used in row %(row)s.") % {
                "code": code, "row": self.seen_codes[code]}
            if code.isdigit() and not self.options.number_within_group:
                message += " " + _("If the numbering starts again in each group, choose "
                                   "\"numbered within each group\".")
            self.error(row, message, code)
            return
        self.seen_codes[code] = row.number

        task = self.tasks.get(code)
        plan = RowPlan(number=row.number, code=code, task=task, group=group)
        texts = self._texts(row, code, task)
        lead = self._lead(row, code, task)
        coordinating = self._coordinating(row, code)
        authority = self._authority(row, code)
        outputs = split_lines(values["outputs"]) if "outputs" in self.present else None
        if task is None:
            self._plan_create(row, plan, texts, lead, coordinating, authority, outputs)
        else:
            self._plan_update(row, plan, texts, lead, coordinating, authority, outputs)
        if len(self.plan.errors) == errors_before:
            self.plan.rows.append(plan)

    # Cells ---------------------------------------------------------------------------------

    def _texts(self, row, code, task) -> dict[str, str]:
        texts = {}
        for name, limit in TEXT_FIELDS.items():
            if name not in self.present:
                continue
            text = row.values[name]
            if limit and len(text) > limit:
                self.error(row, _("%(column)s is too long (%(max)s characters at most).")
                           % {"column": BY_KEY[name].label, "max": limit}, code)
            texts[name] = text
        if texts.get("title") == "" or (task is None and "title" not in texts):
            self.error(row, _("The task itself (what is to be done) is missing."), code)
        return texts

    def _units(self, row, code, text) -> tuple[list[Unit], bool]:
        found, unknown, ambiguous = self.units.find_list(text)
        for name in unknown:
            self.plan.unknown_units.setdefault(name, []).append(row.number)
            self.error(row, _("Unit not found: \"%(name)s\". Write its name or code as it is "
                              "in the list of units.") % {"name": name}, code)
        for name, units in ambiguous:
            self.error(row, _("\"%(name)s\" could be several units (%(codes)s): write the "
                              "unit's code.") % {"name": name,
                                                 "codes": ", ".join(u.code for u in units)}, code)
        return found, not unknown and not ambiguous

    def _lead(self, row, code, task) -> Unit | None:
        if "lead_unit" not in self.present:
            if task is None:
                self.error(row, _("The lead unit is missing."), code)
            return None
        text = row.values["lead_unit"]
        if not text:
            self.error(row, _("The lead unit is missing."), code)
            return None
        units, ok = self._units(row, code, text)
        if ok and len(units) > 1:
            self.error(row, _("A task has one lead unit; this cell names %(count)s (%(names)s). "
                              "Put the others under coordinating units.")
                       % {"count": len(units), "names": "; ".join(u.name for u in units)}, code)
            return None
        return units[0] if ok and units else None

    def _coordinating(self, row, code) -> list[Unit] | None:
        if "coordinating_units" not in self.present:
            return None
        units, _ok = self._units(row, code, row.values["coordinating_units"])
        return units

    def _authority(self, row, code) -> str | None:
        if "competent_authority" not in self.present:
            return None
        text = row.values["competent_authority"]
        value = find_authority(text, self.authorities)
        if value is None:
            self.error(row, _("\"%(text)s\" is not a competent authority this system knows "
                              "(for example \"Chính phủ\", \"Thủ tướng Chính phủ\", \"Bộ "
                              "trưởng\").") % {"text": text}, code)
        return value

    def _deadline(self, row, code, text):
        try:
            return deadline_resolve(text=text, resolution=self.resolution)
        except ValidationError as error:
            for message in error.message_dict.get("deadline", error.messages):
                self.error(row, message, code)
            return None

    # Creating ------------------------------------------------------------------------------

    def _plan_create(self, row, plan, texts, lead, coordinating, authority, outputs):
        plan.action = CREATE
        if plan.group is None and not self.group_reported:
            self.error(row, _("The task's group is not given: fill the group column, or put a "
                              "group heading row (\"I. …\") above the task."), plan.code)
        deadline_text = row.values.get("deadline", "")
        if len(deadline_text) > 255:
            self.error(row, _("The deadline is too long (255 characters at most)."), plan.code)
        else:
            self._deadline(row, plan.code, deadline_text)
        if lead is not None and coordinating and any(u.pk == lead.pk for u in coordinating):
            self.error(row, _("The lead unit cannot also be a coordinating unit."), plan.code)
        plan.fields = {**texts, "lead_unit": lead}
        if authority:
            plan.fields["competent_authority"] = authority
        plan.coordinating = coordinating or []
        plan.outputs = [OutputSpec(kind=guess_output_kind(title), title=title)
                        for title in outputs or []]
        plan.deadline_text = deadline_text
        group_label = (str(plan.group) if not isinstance(plan.group, int)
                       else f"{plan.group}. {self.plan.new_groups.get(plan.group, '')}")
        plan.changes = [
            {"field": str(BY_KEY["group"].label), "old": "", "new": group_label},
            {"field": str(BY_KEY["title"].label), "old": "", "new": texts.get("title", "")},
            {"field": str(BY_KEY["lead_unit"].label), "old": "",
             "new": lead.name if lead else ""},
            {"field": str(BY_KEY["deadline"].label), "old": "", "new": deadline_text},
        ]
        if coordinating:
            plan.changes.append({"field": str(BY_KEY["coordinating_units"].label), "old": "",
                                 "new": "; ".join(unit.name for unit in coordinating)})
        if outputs:
            plan.changes.append({"field": str(BY_KEY["outputs"].label), "old": "",
                                 "new": "\n".join(outputs)})
        if authority:
            plan.changes.append({"field": str(BY_KEY["competent_authority"].label), "old": "",
                                 "new": str(dict(Authority.choices)[authority])})

    # Updating ------------------------------------------------------------------------------

    def _change(self, plan, key, old, new):
        plan.changes.append({"field": str(BY_KEY[key].label), "old": old, "new": new})

    def _plan_update(self, row, plan, texts, lead, coordinating, authority, outputs):
        task = plan.task
        for name, text in texts.items():
            if not same_text(getattr(task, name), text):
                plan.fields[name] = text
                self._change(plan, name, getattr(task, name), text)
        if plan.group is not None and (isinstance(plan.group, int)
                                       or plan.group.pk != task.group_id):
            plan.fields["group"] = plan.group
            new = (str(plan.group) if not isinstance(plan.group, int)
                   else f"{plan.group}. {self.plan.new_groups.get(plan.group, '')}")
            self._change(plan, "group", str(task.group), new)
        if lead is not None and lead.pk != task.lead_unit_id:
            plan.fields["lead_unit"] = lead
            self._change(plan, "lead_unit", task.lead_unit.name, lead.name)
        final_lead = lead or task.lead_unit
        current = list(task.coordinating_units.all())
        final_coordinating = current if coordinating is None else coordinating
        if any(unit.pk == final_lead.pk for unit in final_coordinating):
            self.error(row, _("The lead unit cannot also be a coordinating unit."), plan.code)
        if coordinating is not None and {u.pk for u in coordinating} != {u.pk for u in current}:
            plan.coordinating = coordinating
            self._change(plan, "coordinating_units", "; ".join(u.name for u in current),
                         "; ".join(u.name for u in coordinating))
        if authority is not None and authority != task.competent_authority:
            plan.fields["competent_authority"] = authority
            self._change(plan, "competent_authority", task.get_competent_authority_display(),
                         str(dict(task._meta.get_field("competent_authority").choices)
                             .get(authority, "")))
        if outputs is not None:
            self._plan_outputs(row, plan, outputs)
        if "deadline" in self.present:
            self._plan_deadline(row, plan)
        if plan.changes:
            plan.action = UPDATE

    def _plan_outputs(self, row, plan, titles: list[str]) -> None:
        existing = list(plan.task.outputs.all())
        # Read back the way the cell is read (a line per output, bullets dropped), the outputs
        # as stored may already say what the file says: then nothing changes.
        if split_lines("\n".join(output.title for output in existing)) == titles:
            return
        by_key = defaultdict(list)
        for output in existing:
            by_key[loose_key(output.title)].append(output)
        matched: list[Output | None] = []
        used = set()
        for title in titles:
            candidates = [o for o in by_key.get(loose_key(title), []) if o.pk not in used]
            matched.append(candidates[0] if candidates else None)
            if candidates:
                used.add(candidates[0].pk)
        leftovers = [o for o in existing if o.pk not in used]
        specs = []
        for title, output in zip(titles, matched, strict=True):
            renamed = False
            if output is None and leftovers:
                # A title edited in the file: the output keeps its record under the new title.
                output, renamed = leftovers.pop(0), True
            if output is None:
                specs.append(OutputSpec(kind=guess_output_kind(title), title=title))
                continue
            kind = output.kind
            if renamed and kind == guess_output_kind(output.title):
                kind = guess_output_kind(title)
            specs.append(OutputSpec(
                id=output.pk, kind=kind,
                title=output.title if same_text(output.title, title) else title,
                document_number=output.document_number, issued_on=output.issued_on))
        for output in leftovers:
            if output.is_done or output.file or output.reported_at:
                self.error(row, _("The output \"%(title)s\" is not in the file, but it has an "
                                  "issued document or has been reported on: it cannot be "
                                  "removed. Keep it in the file.") % {"title": output.title},
                           plan.code)
        plan.outputs = specs
        self._change(plan, "outputs", "\n".join(o.title for o in existing), "\n".join(titles))

    def _plan_deadline(self, row, plan) -> None:
        task = plan.task
        text = row.values["deadline"]
        parsed = self._deadline(row, plan.code, text)
        if parsed is None or (parsed.kind == task.deadline_kind and parsed.due == task.deadline):
            return
        plan.deadline_text = text
        plan.deadline_change = {"row": row.number, "code": plan.code,
                                "old": task.deadline_display, "new": text}
        self._change(plan, "deadline", task.deadline_display, text)


def import_plan(*, resolution: Resolution, table: Table, options: ImportOptions = ImportOptions(),
                progress: Callable[[float], None] | None = None) -> ImportPlan:
    """What importing the table into the resolution would do, and every error, by row."""
    return _Checker(resolution=resolution, table=table, options=options).run(progress)


# --- Writing ----------------------------------------------------------------------------------


class ImportRowError(Exception):
    """A row was refused while writing (nothing was written)."""

    def __init__(self, row: int, code: str, messages: list[str]):
        self.row, self.code, self.messages = row, code, messages
        super().__init__(f"row {row}: {' '.join(messages)}")


def decision_errors(plan: ImportPlan, decision: Decision | None) -> dict[str, str]:
    """What is missing of the decision the plan's deadline changes need (empty when fine)."""
    if not plan.deadline_changes:
        return {}
    errors = {}
    if decision is None or not decision.number.strip():
        errors["decision_number"] = _("This file changes deadlines: give the number of the "
                                      "decision that allows it.")
    if decision is None or not decision.date:
        errors["decision_date"] = _("Give the date of the decision.")
    if decision is None or not decision.authority:
        errors["decision_authority"] = _("Say which authority made the decision.")
    return errors


@transaction.atomic
def import_apply(*, plan: ImportPlan, actor, reason: str, decision: Decision | None = None,
                 progress: Callable[[float], None] | None = None) -> dict[str, int]:
    """Write a checked plan: create the new groups, create and update the tasks, change the
    deadlines under the decision. All or nothing; returns the counts."""
    if not plan.ok:
        raise ValueError("a plan with errors cannot be applied")
    missing = decision_errors(plan, decision)
    if missing:
        raise ValidationError(missing)
    groups = {}
    for number, name in sorted(plan.new_groups.items()):
        groups[number] = group_create(actor=actor, resolution=plan.resolution, number=number,
                                      name=name)
    changing = [row for row in plan.rows if row.action != UNCHANGED]
    for index, row in enumerate(changing):
        if isinstance(row.group, int):
            row.group = groups[row.group]
        if isinstance(row.fields.get("group"), int):
            row.fields["group"] = groups[row.fields["group"]]
        try:
            with transaction.atomic():
                _apply_row(row, actor=actor, reason=reason, decision=decision)
        except ValidationError as error:
            raise ImportRowError(row.number, row.code, error.messages) from error
        if progress:
            progress((index + 1) / len(changing))
    return plan.counts()


def _apply_row(row: RowPlan, *, actor, reason: str, decision: Decision | None) -> None:
    if row.action == CREATE:
        fields = dict(row.fields)
        task_create(actor=actor, group=row.group, code=row.code, title=fields.pop("title"),
                    lead_unit=fields.pop("lead_unit"), deadline_text=row.deadline_text,
                    coordinating_units=row.coordinating,
                    outputs=[(spec.kind, spec.title) for spec in row.outputs],
                    reason=reason, **fields)
        return
    task = row.task
    if row.fields or row.coordinating is not None or row.outputs is not None:
        task_update(task=task, actor=actor, reason=reason, coordinating_units=row.coordinating,
                    outputs=row.outputs, **row.fields)
    if row.deadline_change:
        task_change_deadline(task=task, actor=actor, deadline_text=row.deadline_text,
                             decision_number=decision.number, decision_date=decision.date,
                             decision_authority=decision.authority,
                             reason=decision.reason or reason)


__all__ = ["CREATE", "UNCHANGED", "UPDATE", "Decision", "ImportOptions", "ImportPlan",
           "ImportRowError", "decision_errors", "file_error", "fingerprint", "import_apply",
           "import_plan"]
