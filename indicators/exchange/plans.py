"""What an import of indicators would do: each indicator's plan (its fields, its targets, the
units of its breakdown), as the preview shows it and the write carries out."""

from dataclasses import dataclass, field
from decimal import Decimal

from tasks.exchange.importing import file_error, fingerprint
from tasks.models import Resolution
from units.models import Unit

from ..models import Indicator
from .columns import column_label

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

__all__ = ["CREATE", "UNCHANGED", "UPDATE", "IndicatorPlan", "RowPlan", "TargetSpec",
           "file_error", "fingerprint"]


@dataclass(frozen=True)
class TargetSpec:
    """A target, milestone or unit baseline the import sets (the year's existing one is
    replaced, keeping its note)."""

    year: int
    value: Decimal
    kind: str
    unit: Unit | None = None
    note: str = ""
    is_illustrative: bool = False


@dataclass
class RowPlan:
    number: int
    code: str
    indicator: Indicator | None = None
    fields: dict = field(default_factory=dict)
    targets: list[TargetSpec] = field(default_factory=list)
    #: Units of the breakdown the file adds (none is removed).
    breakdown_add: list[Unit] = field(default_factory=list)
    #: Breakdown units already named by a row of the file, to refuse the same unit twice.
    breakdown_rows: dict[int, int] = field(default_factory=dict)
    changes: list[dict] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.indicator is None:
            return CREATE
        return UPDATE if self.changes else UNCHANGED

    def change(self, label: str, old, new) -> None:
        self.changes.append({"field": label, "old": "" if old is None else str(old),
                             "new": "" if new is None else str(new)})


@dataclass
class IndicatorPlan:
    resolution: Resolution
    columns: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    headings: int = 0
    breakdown_rows: int = 0
    not_in_file: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, row, message: str, code: str = "") -> None:
        self.errors.append({"row": row.number, "code": code, "message": message})

    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for row in self.rows:
            counts[row.action] += 1
        return {**counts, "rows": len(self.rows), "errors": len(self.errors),
                "headings": self.headings, "breakdown": self.breakdown_rows,
                "not_in_file": self.not_in_file,
                "targets": sum(len(row.targets) for row in self.rows)}

    def report(self) -> dict:
        return {
            "resolution": self.resolution.number,
            "counts": self.counts(),
            "columns": [column_label(key) for key in self.columns],
            "ignored": self.ignored,
            "errors": self.errors,
            "rows": [{"row": row.number, "code": row.code, "action": row.action,
                      "changes": row.changes} for row in self.rows if row.action != UNCHANGED],
        }
