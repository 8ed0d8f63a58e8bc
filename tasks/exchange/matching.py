"""Finding what a cell names: units (by code, name or alias, collective designations included), task
groups, competent authorities, the kind of an output."""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from units.models import Unit, UnitAlias
from units.names import name_key

from ..models import Authority, Output, TaskGroup
from .cells import loose_key

_BULLET = re.compile(r"^\s*(?:[-+•*–]|\d{1,2}[.)]|[a-zđ][)])\s+", re.IGNORECASE)
# Between the bodies of a cell: a line, a semicolon, a comma, "và"/"and", a full stop ending a
# sentence. A body's own name may hold a comma or "và" (and a long one may wrap onto the next
# line), so these only propose where to cut: the longest known name across them wins.
_ITEM = re.compile(r"([\n;])")
_SEPARATOR = re.compile(r"(,|\.(?=\s|$)|\s+và\s+|\s+and\s+)", re.IGNORECASE)
# Unknown parts joined by these are one name unless the next starts like a body's name.
_WEAK_GLUE = {",", "và", "and"}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def split_lines(text: str) -> list[str]:
    """The items of a cell listing several: one per line or between semicolons, bullets
    ("- ", "+ ", "1. ", "a) ") removed."""
    items = []
    for line in re.split(r"[\n;]", text or ""):
        item = _BULLET.sub("", line).strip(" \t.")
        if item:
            items.append(item)
    return items


@dataclass(frozen=True)
class AliasNote:
    """A name a cell gave through one of a unit's aliases: what was written, the unit it is read
    as and the alias's note. A former name is read as the body that took its work."""

    text: str
    unit: Unit
    kind: str
    note: str = ""

    @property
    def is_former_name(self) -> bool:
        return self.kind == UnitAlias.Kind.OLD_NAME

    @property
    def message(self) -> str:
        values = {"text": self.text, "unit": self.unit.display_name}
        message = (_("“%(text)s” is a former name: it is read as %(unit)s.") if
                   self.is_former_name else _("“%(text)s” is read as %(unit)s.")) % values
        return f"{message} {self.note}" if self.note else message


@dataclass
class CellUnits:
    """What a cell of units names."""

    found: list[Unit] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    #: (name as written, the units it could be)
    ambiguous: list[tuple[str, list[Unit]]] = field(default_factory=list)
    #: The names read through an alias that says something: a former name, a noted variant.
    notes: list[AliasNote] = field(default_factory=list)


class UnitIndex:
    """Every unit, findable by code, name, short name, English name or one of its aliases.

    A name is looked up by `units.names.name_key` (case, punctuation, old and new tone
    placement, "UBND"/"Ủy ban nhân dân"), then without diacritics; at each step a unit's own
    names come before the aliases, so an alias never hides a unit that bears the name.
    """

    def __init__(self, units, aliases=()):
        self.units = {unit.pk: unit for unit in units}
        self._tiers = [defaultdict(set) for _tier in range(4)]
        self._aliases: dict[tuple[int, str, int], UnitAlias] = {}  # (tier, key, unit)
        self._by_loose: dict[str, set[int]] | None = None
        #: The words a body's name starts with ("bộ", "cục", "sở", "ubnd"…).
        self.head_words = {name_key(unit.name).split()[0] for unit in self.units.values()
                           if name_key(unit.name)}
        for unit in self.units.values():
            for text in (unit.code, unit.name, unit.short_name, unit.name_en):
                if text:
                    self._tiers[0][name_key(text)].add(unit.pk)
                    self._tiers[2][loose_key(text)].add(unit.pk)
        for alias in aliases:
            if alias.unit_id in self.units:
                self._tiers[1][alias.key].add(alias.unit_id)
                self._tiers[3][loose_key(alias.text)].add(alias.unit_id)
                self._aliases[(1, alias.key, alias.unit_id)] = alias
                self._aliases[(3, loose_key(alias.text), alias.unit_id)] = alias

    @classmethod
    def load(cls, extra: dict[str, Unit] | None = None) -> "UnitIndex":
        """The units that exist today and their aliases: an ended unit is never matched, its
        former name (an alias of its successor) is. `extra` maps further names to units for
        this reading only (the mappings given with a file, remembered as aliases only when it
        is imported)."""
        aliases = list(UnitAlias.objects.only("text", "key", "kind", "note", "unit_id"))
        for text, unit in (extra or {}).items():
            aliases.append(UnitAlias(text=text, key=name_key(text), unit_id=unit.pk))
        return cls(Unit.objects.existing_on(timezone.localdate())
                   .only("pk", "code", "name", "short_name", "name_en", "kind"), aliases)

    def _lookup(self, text: str) -> tuple[list[Unit], UnitAlias | None]:
        """The units a name may mean, and the alias it was found by (when one unit is)."""
        key = name_key(text)
        for tier, index in enumerate(self._tiers):
            if tier == 2:
                key = loose_key(text)
            ids = index.get(key) if key else None
            if ids:
                units = sorted((self.units[pk] for pk in ids), key=lambda unit: unit.code)
                alias = self._aliases.get((tier, key, units[0].pk)) if len(units) == 1 else None
                return units, alias
        return [], None

    def find(self, text: str) -> list[Unit]:
        """The units a name or code may mean: none, one, or several when it is ambiguous."""
        return self._lookup(text)[0]

    def read(self, text: str) -> CellUnits:
        """The units a cell lists, with the names it did not know or could not decide.

        Bodies are separated by lines, semicolons, commas, "và" and full stops, but a known
        name, short form or alias is never split: from each place, the longest run of parts
        that is a known name wins ("Bộ Văn hóa, Thể thao và Du lịch", "UBND các tỉnh, thành
        phố trực thuộc trung ương"). A former name is read as its successor, with a note.
        """
        result = CellUnits()
        parts, glue = _parts(text)
        start = unknown_end = 0
        while start < len(parts):
            if not parts[start].strip(" ."):
                start += 1
                continue
            for end in range(len(parts), start, -1):
                name = "".join(parts[i] + glue[i] for i in range(start, end - 1))
                name = (name + parts[end - 1]).strip(" .")
                units, alias = self._lookup(name) if parts[end - 1].strip(" .") else ([], None)
                if units:
                    break
            else:
                piece = parts[start].strip(" .")
                first_word = (name_key(piece).split() or [""])[0]
                if 0 < start == unknown_end and glue[start - 1].strip().lower() in _WEAK_GLUE \
                        and first_word not in self.head_words:
                    # Not the start of a body's name ("Bộ VH, TT và DL"): one unknown name.
                    result.unknown[-1] += glue[start - 1] + parts[start].rstrip(" .")
                else:
                    result.unknown.append(piece)
                start += 1
                unknown_end = start
                continue
            if len(units) > 1:
                result.ambiguous.append((name, units))
            elif units[0] not in result.found:
                result.found.append(units[0])
            if len(units) == 1 and alias is not None and (
                    alias.note or alias.kind == UnitAlias.Kind.OLD_NAME):
                result.notes.append(AliasNote(text=name, unit=units[0], kind=alias.kind,
                                              note=alias.note))
            start = end
        return result

    def closest(self, text: str, limit: int = 3) -> list[Unit]:
        """The known units whose names (or aliases) are nearest a name not found, best first:
        by similarity of the names without case, punctuation or diacritics."""
        if self._by_loose is None:
            self._by_loose = defaultdict(set)
            for index in (self._tiers[2], self._tiers[3]):
                for key, ids in index.items():
                    self._by_loose[key] |= ids
        key = loose_key(text)
        if not key:
            return []
        scored = {}
        for known, ids in self._by_loose.items():
            ratio = difflib.SequenceMatcher(None, key, known).ratio()
            if known.startswith(key + " "):
                ratio = max(ratio, 0.7)  # "Bộ Văn hóa" for "Bộ Văn hóa, Thể thao và Du lịch"
            for pk in ids:
                scored[pk] = max(scored.get(pk, 0), ratio)
        best = sorted((pk for pk, ratio in scored.items() if ratio >= 0.6),
                      key=lambda pk: (-scored[pk], self.units[pk].code))
        return [self.units[pk] for pk in best[:limit]]

    def find_list(self, text: str) -> tuple[list[Unit], list[str], list[tuple[str, list[Unit]]]]:
        """The units a cell lists: (found, unknown names, ambiguous (name, candidates)); see
        `read`, which also says which names were former names."""
        result = self.read(text)
        return result.found, result.unknown, result.ambiguous


def _parts(text: str) -> tuple[list[str], list[str]]:
    """The pieces between separators, and the separator after each ("" after the last)."""
    parts, glue = [], []
    for chunk in _ITEM.split(text or ""):
        if _ITEM.fullmatch(chunk):
            if glue:
                glue[-1] = chunk
            continue
        tokens = _SEPARATOR.split(_BULLET.sub("", chunk))
        parts += tokens[0::2]
        glue += [*tokens[1::2], ""]
    return parts, glue


def _roman(text: str) -> int | None:
    text = text.lower()
    if not text or any(char not in _ROMAN for char in text):
        return None
    total = 0
    for index, char in enumerate(text):
        value = _ROMAN[char]
        following = _ROMAN[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total if 0 < total < 40 else None


_GROUP_WORD = r"(?:(?:nhóm|group|phần|part|mục)\s+)"
# A Roman numeral needs its punctuation ("II. …"), or the word "Nhóm" before it: "Vi phạm…" is
# a name, not group 6.
_GROUP_HEADINGS = [
    re.compile(_GROUP_WORD + r"?(?P<arabic>\d{1,2})(?:\s*[.:)\-–—]\s*|\s+|$)(?P<name>.*)$",
               re.IGNORECASE | re.DOTALL),
    re.compile(r"(?P<roman>[ivxl]{1,6})(?:\s*[.:)\-–—]\s*(?P<name>.*)|$)$",
               re.IGNORECASE | re.DOTALL),
    re.compile(_GROUP_WORD + r"(?P<roman>[ivxl]{1,6})(?:\s*[.:)\-–—]\s*|\s+|$)(?P<name>.*)$",
               re.IGNORECASE | re.DOTALL),
]


def group_reference(text: str) -> tuple[int | None, str]:
    """(number, name) a group cell or heading gives: "I. Đổi mới…", "Nhóm 2: …", "3", or a
    name alone (number None)."""
    text = (text or "").strip()
    for pattern in _GROUP_HEADINGS:
        match = pattern.match(text)
        if match:
            groups = match.groupdict()
            number = int(groups["arabic"]) if groups.get("arabic") else _roman(groups["roman"])
            if number:
                return number, (match["name"] or "").strip(" .:-–—")
    return None, text


def is_group_heading(cells: list[str]) -> bool:
    """Whether a row is a group heading: one text (maybe merged across the row), numbered like
    a group ("I. …", "Nhóm 2: …")."""
    if len(set(cells)) != 1:
        return False
    number, name = group_reference(cells[0])
    return number is not None and bool(name or re.match(r"(?i)^(nhóm|group)\b", cells[0]))


class GroupIndex:
    def __init__(self, groups):
        self.by_number = {group.number: group for group in groups}
        self.by_name = {}
        for group in groups:
            for text in (group.name, group.name_en):
                if text:
                    self.by_name.setdefault(loose_key(text), group)

    @classmethod
    def load(cls, resolution) -> "GroupIndex":
        return cls(list(TaskGroup.objects.filter(resolution=resolution)))

    def find(self, number: int | None, name: str) -> TaskGroup | None:
        """The group a heading names: by its exact name, else its number, else the group whose
        name is closest (an appendix shortens, capitalises or rewords a heading)."""
        key = loose_key(name)
        if key in self.by_name:
            return self.by_name[key]
        if number is not None and number in self.by_number:
            return self.by_number[number]
        return self._closest(key) if key else None

    def _closest(self, key: str) -> TaskGroup | None:
        words = len(key.split())
        for known, group in self.by_name.items():
            # "HOÀN THIỆN THỂ CHẾ; NÂNG CAO NĂNG LỰC HỆ THỐNG Y TẾ" for the whole heading.
            shorter = min(words, len(known.split()))
            if shorter >= 4 and (known.startswith(key + " ") or key.startswith(known + " ")):
                return group
        close = difflib.get_close_matches(key, list(self.by_name), n=1, cutoff=0.8)
        return self.by_name[close[0]] if close else None


# --- Competent authorities --------------------------------------------------------------------

_AUTHORITY_ALIASES = {
    Authority.POLITBURO: ["bộ chính trị", "bctw"],
    Authority.SECRETARIAT: ["ban bí thư", "ban bí thư trung ương đảng"],
    Authority.NATIONAL_ASSEMBLY: ["quốc hội", "qh"],
    Authority.NA_STANDING_COMMITTEE: ["ủy ban thường vụ quốc hội", "ubtvqh", "thường vụ quốc hội"],
    Authority.GOVERNMENT: ["chính phủ", "cp"],
    Authority.PRIME_MINISTER: ["thủ tướng chính phủ", "thủ tướng", "ttg", "ttcp"],
    Authority.MINISTER: ["bộ trưởng", "bộ trưởng thủ trưởng cơ quan ngang bộ",
                         "thủ trưởng cơ quan ngang bộ"],
    Authority.PROVINCIAL_CHAIR: ["chủ tịch ubnd tỉnh", "chủ tịch ủy ban nhân dân tỉnh",
                                 "chủ tịch ubnd cấp tỉnh", "chủ tịch ubnd"],
    Authority.LEAD_UNIT_HEAD: ["thủ trưởng cơ quan chủ trì", "thủ trưởng đơn vị chủ trì",
                               "cơ quan chủ trì"],
}
# An authority written with its holder ("Bộ trưởng Bộ Y tế", "Chủ tịch UBND tỉnh Nghệ An").
_AUTHORITY_PREFIXES = [("bo truong", Authority.MINISTER),
                       ("chu tich ubnd", Authority.PROVINCIAL_CHAIR),
                       ("thu tuong", Authority.PRIME_MINISTER),
                       ("minister", Authority.MINISTER)]


def authority_index() -> dict[str, str]:
    index = {}
    for value, names in _AUTHORITY_ALIASES.items():
        for name in [value, *names]:
            index.setdefault(loose_key(name), value)
    for language in ("vi", "en"):
        with override(language):
            for value, label in Authority.choices:
                index.setdefault(loose_key(str(label)), value)
    return index


def find_authority(text: str, index: dict[str, str]) -> str | None:
    """The authority a cell names ("" when blank), or None when it names none we know."""
    key = loose_key(text)
    if not key:
        return ""
    if key in index:
        return index[key]
    for prefix, value in _AUTHORITY_PREFIXES:
        if key.startswith(prefix + " "):
            return value
    return None


# --- Outputs ----------------------------------------------------------------------------------

_OUTPUT_KINDS = [
    (Output.Kind.LAW, ["luat", "bo luat", "law", "code of"]),
    (Output.Kind.RESOLUTION, ["nghi quyet", "resolution"]),
    (Output.Kind.DECREE, ["nghi dinh", "decree"]),
    (Output.Kind.DECISION, ["quyet dinh", "decision"]),
    (Output.Kind.CIRCULAR, ["thong tu", "circular"]),
    (Output.Kind.DIRECTIVE, ["chi thi", "directive"]),
    (Output.Kind.SCHEME, ["de an", "du an", "scheme", "project"]),
    (Output.Kind.PROGRAMME, ["chuong trinh", "programme", "program"]),
    (Output.Kind.PLAN, ["ke hoach", "plan"]),
    (Output.Kind.REPORT, ["bao cao", "to trinh", "report", "submission"]),
    (Output.Kind.DATABASE, ["co so du lieu", "csdl", "he thong thong tin", "he thong",
                            "phan mem", "nen tang", "database", "information system"]),
    (Output.Kind.EVENT, ["hoi nghi", "hoi thao", "dien dan", "conference", "workshop", "event"]),
]


def guess_output_kind(title: str) -> str:
    """The kind of document an output's wording names ("Nghị định …" is a decree)."""
    key = loose_key(title)
    key = re.sub(r"^(?:du thao|draft|xay dung|ban hanh|trinh)\s+", "", key)
    for kind, prefixes in _OUTPUT_KINDS:
        if any(key == prefix or key.startswith(prefix + " ") for prefix in prefixes):
            return kind
    return Output.Kind.OTHER
