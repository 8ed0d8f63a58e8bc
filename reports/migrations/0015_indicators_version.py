"""The indicators' version (core.models.Version "indicators"), raised by every change the
dashboard's indicator figures read: the indicators, their targets and their approved values (the
same changes that raise the data version, 0013). With the choices version (the names of the
resolutions, groups and units they show), it keys those figures, so that the many changes to tasks
and reports during a reporting rush leave them cached (reports/dashboard/indicators.py).

PostgreSQL only, as the data version: elsewhere nothing is cached.
"""

from django.db import migrations

TABLES = ["indicators_indicator", "indicators_indicatortarget"]

APPROVED = "(OLD.state = 'approved' OR NEW.state = 'approved')"

CREATE = """
INSERT INTO core_version (name, value) VALUES ('indicators', 0) ON CONFLICT (name) DO NOTHING;

CREATE OR REPLACE FUNCTION reports_raise_indicators_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_version (name, value) VALUES ('indicators', 1)
        ON CONFLICT (name) DO UPDATE SET value = core_version.value + 1;
    RETURN NULL;
END
$$;
""" + "".join(f"""
CREATE TRIGGER indicators_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_raise_indicators_version();
""" for table in TABLES) + f"""
CREATE TRIGGER indicators_version AFTER TRUNCATE ON indicators_indicatorvalue
    FOR EACH STATEMENT EXECUTE FUNCTION reports_raise_indicators_version();
CREATE TRIGGER indicators_version_insert AFTER INSERT ON indicators_indicatorvalue
    FOR EACH ROW WHEN (NEW.state = 'approved')
    EXECUTE FUNCTION reports_raise_indicators_version();
CREATE TRIGGER indicators_version_delete AFTER DELETE ON indicators_indicatorvalue
    FOR EACH ROW WHEN (OLD.state = 'approved')
    EXECUTE FUNCTION reports_raise_indicators_version();
CREATE TRIGGER indicators_version_update AFTER UPDATE ON indicators_indicatorvalue
    FOR EACH ROW WHEN ({APPROVED} AND (
        OLD.state IS DISTINCT FROM NEW.state
        OR OLD.value <> NEW.value OR OLD.period_end <> NEW.period_end
        OR OLD.indicator_id <> NEW.indicator_id OR OLD.unit_id IS DISTINCT FROM NEW.unit_id))
    EXECUTE FUNCTION reports_raise_indicators_version();
"""

DROP = "".join(f"DROP TRIGGER IF EXISTS indicators_version ON {table};\n"
               for table in [*TABLES, "indicators_indicatorvalue"]) + "".join(
    f"DROP TRIGGER IF EXISTS indicators_version_{event} ON indicators_indicatorvalue;\n"
    for event in ("insert", "delete", "update")) + """
DROP FUNCTION IF EXISTS reports_raise_indicators_version();
DELETE FROM core_version WHERE name = 'indicators';
"""


def _run(schema_editor, sql):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: several statements at once


def create_triggers(apps, schema_editor):
    _run(schema_editor, CREATE)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0014_facts_triggers_never_wait"),
        ("indicators", "0001_initial"),
        ("core", "0002_version"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
