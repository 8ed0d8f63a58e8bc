"""A small file of names mapped to units, for `manage.py import_tasks --map FILE`: what the
preview's "read it as this unit" does in the browser.

One mapping a line: the name as the appendix writes it, then the unit's code, separated by a
tab, a semicolon or (CSV) a comma; the last separator on the line counts, so a name may hold
commas ("Bộ Văn hóa, Thể thao và Du lịch;BVHTTDL"). Blank lines and lines starting with "#" are
skipped, and so is a first line naming the columns ("name;code", "tên;mã"). UTF-8.
"""

import csv

from django.utils.translation import gettext as _

_HEADER_CODES = {"code", "unit code", "mã", "mã đơn vị", "ma", "ma don vi"}


class MappingError(ValueError):
    """The file cannot be read; `messages` name each wrong line."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(" ".join(messages))


def _split(line: str) -> tuple[str, str] | None:
    for separator in ("\t", ";"):
        if separator in line:
            name, _sep, code = line.rpartition(separator)
            return name, code
    if line.startswith('"'):
        fields = next(csv.reader([line]))
        return (fields[0], fields[-1]) if len(fields) >= 2 else None
    if "," in line:
        name, _sep, code = line.rpartition(",")
        return name, code
    return None


def unit_map_read(text: str) -> dict[str, str]:
    """{name as written: unit code}; MappingError naming every line that is not a mapping."""
    mappings: dict[str, str] = {}
    errors = []
    first = True
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = _split(line)
        name, code = (" ".join(part.split()).strip('"') for part in parts) if parts else ("", "")
        if first and code.casefold() in _HEADER_CODES:
            first = False
            continue
        first = False
        if not name or not code:
            errors.append(_("line %(line)s: write the name, then a tab or a semicolon, then the "
                            "unit's code.") % {"line": number})
            continue
        mappings[name] = code
    if errors:
        raise MappingError(errors)
    return mappings
