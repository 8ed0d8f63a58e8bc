"""Object ids in URLs, filters and forms, checked in one place.

An id is a whole number from 1 to the largest value the id columns hold (DEFAULT_AUTO_FIELD).
A larger number is not a missing object but a value the database cannot even compare: SQLite
refuses to bind it (OverflowError, a 500) and PostgreSQL casts it to numeric. So a path with one
does not resolve (404), a filter or a form field given one is refused like any other bad value,
and nothing past this module has to think about it.
"""

from django import forms
from django.conf import settings
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.module_loading import import_string


def _id_column_max() -> int:
    field = import_string(settings.DEFAULT_AUTO_FIELD)()
    return BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()][1]


#: The largest id an id column holds (2**63 - 1 for BigAutoField).
MAX_ID = _id_column_max()
#: What an id looks like in a URL: ASCII digits, no more than MAX_ID has.
ID_REGEX = f"[0-9]{{1,{len(str(MAX_ID))}}}"


def parse_id(value) -> int | None:
    """The id written in `value` (a string of ASCII digits, or an int), or None when it is not
    one (text, a sign, zero, beyond MAX_ID)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


class IdConverter:
    """`<id:pk>` in a URL pattern (registered in units.apps): anything but an id does not
    resolve, so the page answers 404 before any view or query runs."""

    regex = ID_REGEX

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # the resolver takes it as "no match"
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class IdField(forms.IntegerField):
    """A form field holding an object's id: a whole number from 1 to MAX_ID, else the usual
    form error (the typed text kept)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
