"""Loading the reference data that ships in fixtures/ (idempotent): the units
(fixtures/units.json, through units.reference), the resolutions and their task groups
(fixtures/reference.json)."""

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from units.reference import UNITS_FILE, UnitLoadSummary, unit_reference_load, unit_rows_read

from .models import Resolution, TaskGroup

REFERENCE_FILE = Path(settings.BASE_DIR) / "fixtures" / "reference.json"


@dataclass
class ReferenceSummary:
    units: UnitLoadSummary = field(default_factory=UnitLoadSummary)
    resolutions: int = 0
    groups: int = 0


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@transaction.atomic
def reference_load(*, path: Path = REFERENCE_FILE, units_path: Path = UNITS_FILE,
                   force: bool = False) -> ReferenceSummary:
    """Load the units (see units.reference.unit_reference_load: created, brought up to date,
    or skipped when an administrator changed them, unless `force`), then create what is missing
    of the resolutions and task groups. Existing resolutions and groups (matched by number) are
    left as they are, so edits made in the application survive a reload."""
    summary = ReferenceSummary()
    summary.units = unit_reference_load(rows=unit_rows_read(units_path), force=force,
                                        source=Path(units_path).name)
    data = json.loads(path.read_text(encoding="utf-8"))
    resolutions = {r.number: r for r in Resolution.objects.all()}
    for row in data["resolutions"]:
        resolution = resolutions.get(row["number"])
        if resolution is None:
            resolution = Resolution.objects.create(
                number=row["number"], kind=row["kind"], issuer=row["issuer"], title=row["title"],
                title_en=row["title_en"], issued_on=_date(row["issued_on"]),
                implements=resolutions.get(row["implements"]) if row["implements"] else None,
                is_tracked=row["is_tracked"], note=row["note"],
            )
            resolutions[resolution.number] = resolution
            summary.resolutions += 1
        groups = data["six_groups"] if row["groups"] == "six" else row["groups"]
        existing = set(resolution.groups.values_list("number", flat=True))
        for group in groups:
            if group["number"] not in existing:
                TaskGroup.objects.create(resolution=resolution, number=group["number"],
                                         name=group["name"], name_en=group["name_en"])
                summary.groups += 1
    return summary
