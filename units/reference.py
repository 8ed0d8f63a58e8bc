"""The units that ship with the product (fixtures/units.json), or an administrator's file of the
same format, loaded so that running it again changes nothing.

The file is JSON: {"units": [row, …]}, each row

    {"code": "BTC", "name": "Bộ Tài chính", "name_en": "Ministry of Finance",
     "short_name": "BTC", "kind": "ministry", "parent": "CP",
     "members": ["…"],                       # a collective designation's member codes
     "is_active": true,
     "aliases": [{"text": "Bộ Kế hoạch và Đầu tư", "kind": "old_name",
                  "note": "Chấm dứt hoạt động từ 01/3/2025; …"}]}

`code`, `name` and `kind` are required; a key left out leaves that part of an existing unit as
it is; keys starting with "_" are comments. An alias's kind is short_form, old_name or variant.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from simple_history.utils import bulk_create_with_history

from core.audit import audited

from .models import Unit, UnitAlias
from .names import name_key

UNITS_FILE = Path(settings.BASE_DIR) / "fixtures" / "units.json"
#: How the audit history marks the writes of this loader (the command's name, not prose): a
#: later change by a person is what makes a unit "edited by an administrator".
REASON = "seed_reference"
_FIELDS = ("name", "name_en", "short_name", "kind", "is_active")
_LIMITS = {"code": 40, "name": 255, "name_en": 255, "short_name": 80}


class UnitFileError(ValueError):
    """A units file that cannot be loaded (the message says where and why)."""


@dataclass
class UnitLoadSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    #: Changed by an administrator since they were loaded: left alone (without `force`).
    skipped: list[str] = field(default_factory=list)
    unchanged: int = 0


def unit_rows_read(path: Path) -> list[dict]:
    """The rows of a units file, checked (raises UnitFileError)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnitFileError(f"{path}: {error}") from error
    rows = data.get("units") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise UnitFileError(f'{path}: expected an object with a "units" list')
    codes = set()
    for number, row in enumerate(rows, start=1):
        _check_row(number, row, codes)
    return rows


def _check_row(number: int, row, codes: set[str]) -> None:
    def refuse(message):
        raise UnitFileError(f"unit {number} ({row.get('code', '?')}): {message}")

    if not isinstance(row, dict):
        raise UnitFileError(f"unit {number}: expected an object")
    for key in ("code", "name", "kind"):
        if not isinstance(row.get(key), str) or not row[key].strip():
            refuse(f'"{key}" is required')
    for key, limit in _LIMITS.items():
        if not isinstance(row.get(key, ""), str) or len(row.get(key, "")) > limit:
            refuse(f'"{key}" must be a text of at most {limit} characters')
    if row["code"] in codes:
        refuse("the code appears twice")
    codes.add(row["code"])
    if row["kind"] not in Unit.Kind.values:
        refuse(f'"kind" must be one of {", ".join(Unit.Kind.values)}')
    if row.get("parent") is not None and not isinstance(row["parent"], str):
        refuse('"parent" must be a unit code or null')
    if not isinstance(row.get("members", []), list):
        refuse('"members" must be a list of unit codes')
    if not isinstance(row.get("is_active", True), bool):
        refuse('"is_active" must be true or false')
    aliases = row.get("aliases", [])
    if not isinstance(aliases, list):
        refuse('"aliases" must be a list')
    for alias in aliases:
        if (not isinstance(alias, dict) or not isinstance(alias.get("text"), str)
                or not name_key(alias["text"]) or len(alias["text"]) > 255
                or alias.get("kind", UnitAlias.Kind.VARIANT) not in UnitAlias.Kind.values
                or len(alias.get("note", "")) > 255):
            refuse(f"alias {alias!r}: expected {{\"text\": …, \"kind\": "
                   f"{' | '.join(UnitAlias.Kind.values)}, \"note\": …}}")


def _edited_by_people(unit_ids) -> set[int]:
    """The units a person changed (the unit, its members or its aliases) after this loader last
    wrote them."""
    ours = Q(history_user__isnull=True) | Q(history_change_reason__startswith=REASON)
    last_ours = dict(Unit.history.filter(id__in=unit_ids).values("id")
                     .annotate(at=Max("history_date", filter=ours)).values_list("id", "at"))
    edits = [*Unit.history.filter(id__in=unit_ids).exclude(ours)
             .values_list("id", "history_date"),
             *UnitAlias.history.filter(unit_id__in=unit_ids).exclude(ours)
             .values_list("unit_id", "history_date")]
    return {pk for pk, at in edits if last_ours.get(pk) is None or at > last_ours[pk]}


def _in_parent_order(rows: list[dict], known: set[str]) -> list[dict]:
    """The rows with each parent before its children (a parent may also be a unit already
    in the database)."""
    placed, ordered, waiting = set(known), [], list(rows)
    while waiting:
        codes = {row["code"] for row in waiting}
        ready = [row for row in waiting if not row.get("parent") or row["parent"] in placed
                 or row["parent"] not in codes]
        if not ready:
            raise UnitFileError("these units are each other's parents: "
                                + ", ".join(row["code"] for row in waiting))
        for row in ready:
            if row.get("parent") and row["parent"] not in placed:
                raise UnitFileError(f"unit {row['code']}: parent {row['parent']} is neither in "
                                    "the file nor in the database")
            placed.add(row["code"])
            ordered.append(row)
        waiting = [row for row in waiting if all(row is not done for done in ready)]
    return ordered


def _wanted_aliases(row) -> dict[str, dict]:
    wanted = {}
    for alias in row.get("aliases", []):
        wanted.setdefault(name_key(alias["text"]), {
            "text": alias["text"].strip(), "note": alias.get("note", "").strip(),
            "kind": alias.get("kind", UnitAlias.Kind.VARIANT)})
    return wanted


@transaction.atomic
def unit_reference_load(*, rows: list[dict], actor=None, force: bool = False,
                        source: str = "") -> UnitLoadSummary:
    """Create the units of `rows` that are missing and bring the others in line with them
    (names, short forms, kind, parent, members, aliases), except a unit a person changed since
    it was last loaded: that one is skipped unless `force`. Idempotent: a second run with the
    same rows writes nothing. Every write is audited with the reason "seed_reference"."""
    reason = f"{REASON}{' --force' if force else ''}: {source}" if source else REASON
    summary = UnitLoadSummary()
    units = {unit.code: unit for unit in Unit.objects.prefetch_related("members", "aliases")}
    rows = _in_parent_order(rows, set(units))
    codes = set(units) | {row["code"] for row in rows}
    for row in rows:
        unknown = [code for code in row.get("members", []) if code not in codes]
        if unknown:
            raise UnitFileError(f"unit {row['code']}: unknown members {', '.join(unknown)}")
    existing = {row["code"]: units[row["code"]] for row in rows if row["code"] in units}
    edited = _edited_by_people([unit.pk for unit in existing.values()])

    _create(rows, units, actor, reason, summary)
    new_aliases = []
    for row in rows:
        unit = units[row["code"]]
        if unit.code in summary.created:
            new_aliases += [UnitAlias(unit=unit, key=key, **alias)
                            for key, alias in _wanted_aliases(row).items()]
            if row.get("members"):
                audited(unit, actor, reason)
                unit.members.set([units[code] for code in row["members"]])
            continue
        if unit.pk in edited and not force:
            summary.skipped.append(unit.code)
            continue
        changed = _update(unit, row, units, actor, reason, new_aliases,
                          overwrite=unit.pk in edited)
        if changed:
            summary.updated.append(unit.code)
        else:
            summary.unchanged += 1
    bulk_create_with_history(new_aliases, UnitAlias, default_user=actor,
                             default_change_reason=reason)
    return summary


def _create(rows, units, actor, reason, summary) -> None:
    """The missing units, one level of the tree at a time (a child needs its parent's path)."""
    missing = [row for row in rows if row["code"] not in units]
    while missing:
        level = [row for row in missing if not row.get("parent") or row["parent"] in units]
        created = bulk_create_with_history(
            [Unit(code=row["code"], name=row["name"], name_en=row.get("name_en", ""),
                  short_name=row.get("short_name", ""), kind=row["kind"],
                  is_active=row.get("is_active", True),
                  parent=units[row["parent"]] if row.get("parent") else None)
             for row in level],
            Unit, default_user=actor, default_change_reason=reason)
        for unit in created:
            unit.path = f"{unit.parent.path if unit.parent_id else '/'}{unit.pk}/"
            units[unit.code] = unit
            summary.created.append(unit.code)
        Unit.objects.bulk_update(created, ["path"])
        missing = [row for row in missing if row["code"] not in units]


def _update(unit, row, units, actor, reason, new_aliases, *, overwrite: bool) -> bool:
    changed = False
    for name in _FIELDS:
        if name in row and getattr(unit, name) != row[name]:
            setattr(unit, name, row[name])
            changed = True
    if "parent" in row:
        parent = units[row["parent"]] if row["parent"] else None
        if unit.parent_id != (parent.pk if parent else None):
            unit.parent = parent
            changed = True
    if changed or overwrite:
        audited(unit, actor, reason).save()
    if "members" in row:
        wanted = {units[code].pk for code in row["members"]}
        if wanted != {member.pk for member in unit.members.all()}:
            audited(unit, actor, reason)
            unit.members.set(wanted)
            changed = True
    if "aliases" in row:
        wanted = _wanted_aliases(row)
        have = {alias.key: alias for alias in unit.aliases.all()}  # one per key (a constraint)
        for key, alias in have.items():
            values = wanted.get(key)
            if values is None:
                audited(alias, actor, reason).delete()
                changed = True
            elif any(getattr(alias, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(alias, name, value)
                audited(alias, actor, reason).save()
                changed = True
        new_aliases += [UnitAlias(unit=unit, key=key, **values)
                        for key, values in wanted.items() if key not in have]
        changed = changed or any(key not in have for key in wanted)
    return changed
