"""Checking an import file row by row: a plan of what would be created or changed, and every
error with the row's number and the reason, in the active language. Reads nothing but the
database and the file."""

from collections import defaultdict
from collections.abc import Callable

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ..models import Authority, Output, Resolution, Task
from ..services import OutputSpec
from .cellchecks import CellChecks
from .cells import loose_key, same_text
from .columns import BY_KEY
from .matching import GroupIndex, group_reference, guess_output_kind, split_lines
from .plans import CREATE, UPDATE, ImportOptions, ImportPlan, RowPlan, file_error
from .reading import Table
from .sections import GROUP, Heading, letter_code, table_headings


def _existing_tasks(resolution: Resolution) -> dict[str, Task]:
    outputs = Output.objects.order_by("position", "id")
    tasks = (Task.objects.filter(resolution=resolution)
             .select_related("group", "lead_unit", "resolution")
             .prefetch_related("coordinating_units", Prefetch("outputs", queryset=outputs)))
    return {task.code: task for task in tasks.select_related("implements")}


def _normal_code(text: str) -> str:
    code = " ".join(text.split())
    if code.rstrip(".").replace(".", "").isdigit():
        code = code.rstrip(".")  # "1." as appendices number their rows
    return code


def _group_label(group, new_groups: dict[int, str]) -> str:
    """An existing group as it reads, or "number. name" of one the import creates."""
    return str(group) if not isinstance(group, int) else f"{group}. {new_groups.get(group, '')}"


def match_outputs(existing: list[Output], titles: list[str]) -> tuple[list[OutputSpec],
                                                                      list[Output]]:
    """The outputs a file's titles make of a task's: each title keeps the output of the same
    title, else takes over one left without a title (an edited title: the output keeps its
    record), else is a new output. Returns the specs in the file's order, and the outputs left
    over (to be removed)."""
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
    return specs, leftovers


class _Checker:
    """Turns the rows of a file into a plan. One instance per import."""

    def __init__(self, *, resolution: Resolution, table: Table, options: ImportOptions,
                 unit_map: dict | None = None):
        self.resolution = resolution
        self.table = table
        self.options = options
        self.present = set(table.columns)
        self.plan = ImportPlan(resolution=resolution, columns=table.columns,
                               ignored=table.ignored)
        self.cells = CellChecks(resolution=resolution, plan=self.plan, present=self.present,
                                unit_map=unit_map)
        self.groups = GroupIndex.load(resolution)
        self.tasks = _existing_tasks(resolution)
        self.seen_codes: dict[str, int] = {}
        #: The group the last heading row set (False: none yet; None: a heading in error).
        self.section = False
        self.group_reported = False
        #: The sub-heading the tasks that follow keep (None: none since the last group).
        self.subheading: Heading | None = None

    def error(self, row, message: str, code: str = "") -> None:
        self.plan.add_error(row, message, code)

    # Rows ----------------------------------------------------------------------------------

    def run(self, progress: Callable[[float], None] | None = None) -> ImportPlan:
        rows = self.table.rows
        headings = table_headings(self.table)
        for index, row in enumerate(rows):
            heading = headings.get(index)
            if heading is not None and heading.kind == GROUP:
                self.section = self._note_group(row, heading.number, heading.name)
                self.subheading = None
            elif heading is not None:
                self.subheading = heading
            else:
                self.check_row(row)
            if progress and index % 50 == 0:
                progress(index / len(rows))
        self.plan.unit_suggestions = {name: self.cells.units.closest(name)
                                      for name in self.plan.unknown_units}
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

        code = self._code(row, group)
        if code is None:
            return
        task = self.tasks.get(code)
        plan = RowPlan(number=row.number, code=code, task=task, group=group)
        texts = self.cells.texts(row, code, task)
        if self.subheading is not None:
            texts["description"] = "\n".join(filter(None, [
                self.subheading.label, texts.get("description", "")]))
        lead = self.cells.lead(row, code, task)
        coordinating = self.cells.coordinating(row, code)
        authority = self.cells.authority(row, code)
        outputs = split_lines(values["outputs"]) if "outputs" in self.present else None
        if task is None:
            self._plan_create(row, plan, texts, lead, coordinating, authority, outputs)
        else:
            self._plan_update(row, plan, texts, lead, coordinating, authority, outputs)
        self._plan_implements(row, plan, self.cells.implements(row, code))
        if len(self.plan.errors) == errors_before:
            self.plan.rows.append(plan)

    def _code(self, row, group) -> str | None:
        """The row's task code, complete (numbered within its group if so chosen) and not used
        by an earlier row; None after reporting why not."""
        code = _normal_code(row.values.get("code", ""))
        letter = letter_code(code)
        if letter:
            # "a)" is numbered within its sub-heading (or group): "1.1.a".
            within = self.subheading.code if self.subheading and self.subheading.code else (
                group.number if hasattr(group, "number") else group)
            code = f"{within}.{letter}" if within else letter
        if not code:
            self.error(row, _("The task code is missing: every task needs one (for example "
                              "\"2.5\"), to be matched when the file is imported again."))
            return None
        if self.options.number_within_group and code.isdigit():
            number = group.number if hasattr(group, "number") else group
            if number is None:
                self.error(row, _("Code %(code)s is numbered within its group, but the row has "
                                  "no group.") % {"code": code}, code)
                return None
            code = f"{number}.{code}"
        if len(code) > 20:
            self.error(row, _("The code \"%(code)s\" is too long (20 characters at most).")
                       % {"code": code}, code)
            return None
        if code in self.seen_codes:
            message = _("Code %(code)s is already used in row %(row)s.") % {
                "code": code, "row": self.seen_codes[code]}
            if code.isdigit() and not self.options.number_within_group:
                message += " " + _("If the numbering starts again in each group, choose "
                                   "\"numbered within each group\".")
            self.error(row, message, code)
            return None
        self.seen_codes[code] = row.number
        return code

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
            self.cells.deadline(row, plan.code, deadline_text)
        if lead is not None and coordinating and any(u.pk == lead.pk for u in coordinating):
            self.error(row, _("The lead unit cannot also be a coordinating unit."), plan.code)
        plan.fields = {**texts, "lead_unit": lead}
        if authority:
            plan.fields["competent_authority"] = authority
        plan.coordinating = coordinating or []
        plan.outputs = [OutputSpec(kind=guess_output_kind(title), title=title)
                        for title in outputs or []]
        plan.deadline_text = deadline_text
        plan.changes = [
            {"field": str(BY_KEY["group"].label), "old": "",
             "new": _group_label(plan.group, self.plan.new_groups)},
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
            self._change(plan, "group", str(task.group),
                         _group_label(plan.group, self.plan.new_groups))
        if lead is not None and lead.pk != task.lead_unit_id:
            plan.fields["lead_unit"] = lead
            self._change(plan, "lead_unit", task.lead_unit.name, lead.name)
        self._plan_coordinating(row, plan, lead or task.lead_unit, coordinating)
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

    def _plan_implements(self, row, plan, parent) -> None:
        if parent is False:
            return
        old = plan.task.implements if plan.task and plan.task.implements_id else None
        if (old.pk if old else None) == (parent.pk if parent else None):
            return
        plan.fields["implements"] = parent
        if plan.action == CREATE:
            if parent is not None:
                self._change(plan, "implements", "", parent.code)
            return
        self._change(plan, "implements", old.code if old else "", parent.code if parent else "")
        plan.action = UPDATE

    def _plan_coordinating(self, row, plan, final_lead, coordinating) -> None:
        current = list(plan.task.coordinating_units.all())
        final_coordinating = current if coordinating is None else coordinating
        if any(unit.pk == final_lead.pk for unit in final_coordinating):
            self.error(row, _("The lead unit cannot also be a coordinating unit."), plan.code)
        if coordinating is not None and {u.pk for u in coordinating} != {u.pk for u in current}:
            plan.coordinating = coordinating
            self._change(plan, "coordinating_units", "; ".join(u.name for u in current),
                         "; ".join(u.name for u in coordinating))

    def _plan_outputs(self, row, plan, titles: list[str]) -> None:
        existing = list(plan.task.outputs.all())
        # Read back the way the cell is read (a line per output, bullets dropped), the outputs
        # as stored may already say what the file says: then nothing changes.
        if split_lines("\n".join(output.title for output in existing)) == titles:
            return
        specs, leftovers = match_outputs(existing, titles)
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
        parsed = self.cells.deadline(row, plan.code, text)
        if parsed is None or (parsed.kind == task.deadline_kind and parsed.due == task.deadline):
            return
        plan.deadline_text = text
        plan.deadline_change = {"row": row.number, "code": plan.code,
                                "old": task.deadline_display, "new": text}
        self._change(plan, "deadline", task.deadline_display, text)


#: The choices of an import where the caller makes none.
_DEFAULT_OPTIONS = ImportOptions()


def import_plan(*, resolution: Resolution, table: Table, options: ImportOptions = _DEFAULT_OPTIONS,
                progress: Callable[[float], None] | None = None,
                unit_map: dict | None = None) -> ImportPlan:
    """What importing the table into the resolution would do, and every error, by row.
    `unit_map` ({name as written: Unit}) reads further names as units, for this plan only."""
    return _Checker(resolution=resolution, table=table, options=options,
                    unit_map=unit_map).run(progress)
