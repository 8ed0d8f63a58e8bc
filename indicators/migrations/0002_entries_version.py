"""The indicator entries' version (core.models.Version "indicator_entries"), raised by every
change to the indicators, their breakdown units and their values in any state: with the choices
version (the units), it keys the drawn list of the values still missing
(indicators/views/listing.py), which reads all of them.

PostgreSQL only: elsewhere nothing is cached.
"""

from django.db import migrations

TABLES = ["indicators_indicator", "indicators_indicator_breakdown_units",
          "indicators_indicatorvalue"]

CREATE = """
INSERT INTO core_version (name, value) VALUES ('indicator_entries', 0)
    ON CONFLICT (name) DO NOTHING;

CREATE OR REPLACE FUNCTION indicators_raise_entries_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_version (name, value) VALUES ('indicator_entries', 1)
        ON CONFLICT (name) DO UPDATE SET value = core_version.value + 1;
    RETURN NULL;
END
$$;
""" + "".join(f"""
CREATE TRIGGER indicator_entries_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION indicators_raise_entries_version();
""" for table in TABLES)

DROP = "".join(f"DROP TRIGGER IF EXISTS indicator_entries_version ON {table};\n"
               for table in TABLES) + """
DROP FUNCTION IF EXISTS indicators_raise_entries_version();
DELETE FROM core_version WHERE name = 'indicator_entries';
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
        ("indicators", "0001_initial"),
        ("core", "0002_version"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
