"""Row triggers that run one SQL statement, on PostgreSQL and on SQLite alike (for migrations).

A trigger is (name, table, event, condition, statement): `event` is INSERT, UPDATE or DELETE,
`condition` an SQL boolean over NEW/OLD (or "") and `statement` one SQL statement that may name
NEW and OLD (`postgresql`, when given, is the statement PostgreSQL runs instead). On PostgreSQL
each becomes a function and a row trigger, and `lock` (an advisory lock number, or None) is taken
shared before the statement runs; SQLite has no locks to take
(one writer at a time) and runs the statement as it is.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Trigger:
    name: str
    table: str
    event: str
    statement: str
    condition: str = ""
    postgresql: str = ""


def _postgresql(trigger: Trigger, lock: int | None) -> str:
    locking = f"PERFORM pg_advisory_xact_lock_shared({int(lock)});" if lock is not None else ""
    when = f"WHEN ({trigger.condition})" if trigger.condition else ""
    return f"""
CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {locking}
    {trigger.postgresql or trigger.statement};
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS {trigger.name} ON {trigger.table};
CREATE TRIGGER {trigger.name} AFTER {trigger.event} ON {trigger.table}
    FOR EACH ROW {when} EXECUTE FUNCTION {trigger.name}();
"""


def _sqlite(trigger: Trigger) -> list[str]:
    when = f"WHEN {trigger.condition}" if trigger.condition else ""
    return [f"DROP TRIGGER IF EXISTS {trigger.name}",
            f"CREATE TRIGGER {trigger.name} AFTER {trigger.event} ON {trigger.table} "
            f"FOR EACH ROW {when} BEGIN {trigger.statement}; END"]


def create(schema_editor, triggers: list[Trigger], *, lock: int | None = None) -> None:
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for trigger in triggers:
            if vendor == "postgresql":
                cursor.execute(_postgresql(trigger, lock))
            elif vendor == "sqlite":
                for statement in _sqlite(trigger):
                    cursor.execute(statement)


def drop(schema_editor, triggers: list[Trigger]) -> None:
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for trigger in triggers:
            if vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger.name} ON {trigger.table}; "
                               f"DROP FUNCTION IF EXISTS {trigger.name}();")
            elif vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger.name}")
