"""Loading the reference data that ships in fixtures/reference.json (idempotent)."""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from units.models import Unit

from .models import Resolution, TaskGroup

REFERENCE_FILE = Path(settings.BASE_DIR) / "fixtures" / "reference.json"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@transaction.atomic
def reference_load(*, path: Path = REFERENCE_FILE) -> dict[str, int]:
    """Create what is missing of the reference units, resolutions and task groups.

    Existing rows (matched by unit code, resolution number, group number) are left as they are,
    so edits made in the application survive a reload. Returns how many rows were created.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    created = {"units": 0, "resolutions": 0, "groups": 0}

    units = {unit.code: unit for unit in Unit.objects.all()}
    for row in data["units"]:
        if row["code"] in units:
            continue
        unit = Unit(code=row["code"], name=row["name"], name_en=row.get("name_en", ""),
                    short_name=row.get("short_name", ""), kind=row["kind"],
                    parent=units.get(row["parent"]) if row["parent"] else None)
        unit.save()
        units[unit.code] = unit
        created["units"] += 1
        if row.get("members"):
            unit.members.set([units[code] for code in row["members"]])

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
            created["resolutions"] += 1
        groups = data["six_groups"] if row["groups"] == "six" else row["groups"]
        existing = set(resolution.groups.values_list("number", flat=True))
        for group in groups:
            if group["number"] not in existing:
                TaskGroup.objects.create(resolution=resolution, number=group["number"],
                                         name=group["name"], name_en=group["name_en"])
                created["groups"] += 1
    return created
