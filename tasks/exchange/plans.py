"""What an import would do: the plan of each row and of the file, as the preview shows it and
the write carries out, and the fingerprint that ties a confirmation to its preview."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from units.models import Unit

from ..models import Resolution, Task
from ..services import OutputSpec
from .columns import BY_KEY

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
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
    #: For each unit not found, the known units closest to it (to map it to one).
    unit_suggestions: dict[str, list[Unit]] = field(default_factory=dict)
    new_groups: dict[int, str] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    not_in_file: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, row, message: str, code: str = "") -> None:
        """Note an error of a row of the file (`row`: its Row, with its number)."""
        self.errors.append({"row": row.number, "code": code, "message": message})

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
            "unknown_units": [
                {"name": name, "rows": rows, "suggestions": [
                    {"id": unit.pk, "code": unit.code, "name": unit.name}
                    for unit in self.unit_suggestions.get(name, [])]}
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
