"""Writing the scale programme in bulk: keys taken ahead from the tables' sequences, rows
written with PostgreSQL's COPY."""

from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock

from django.db import connection
from django.utils import timezone

#: Everything seed_scale writes is marked with this (unit codes, resolution numbers, users).
MARK = "SCALE"


@dataclass
class ScaleSummary:
    units: int = 0
    tasks: int = 0
    reports: int = 0
    periods: int = 0
    seconds: float = 0.0
    outcomes: dict = field(default_factory=dict)
    #: Rows of indicators written: {"indicators", "targets", "values"}.
    indicators: dict = field(default_factory=dict)


def allocate_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys from the table's own sequence (so rows can point at each
    other before they are written)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                       "FROM generate_series(1, %s)", [model._meta.db_table, count])
        return [row[0] for row in cursor.fetchall()]


def copy_rows(table: str, columns: tuple[str, ...], rows) -> int:
    """COPY the rows (tuples in the order of `columns`) into the table; returns how many."""
    count = 0
    with connection.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour)))
