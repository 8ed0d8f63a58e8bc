"""The choices version (core.models.Version "choices"), raised by every change to what the
filter bars offer to choose from (resolutions, groups, units), so that a drawn filter bar is kept
while only tasks and reports change (core/versions.py; the task list, the dashboard).

PostgreSQL only, as the data version (0007): elsewhere nothing is cached.
"""

from django.db import migrations

TABLES = ["tasks_resolution", "tasks_taskgroup", "units_unit"]

CREATE = """
INSERT INTO core_version (name, value) VALUES ('choices', 0) ON CONFLICT (name) DO NOTHING;

CREATE OR REPLACE FUNCTION reports_raise_choices_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_version (name, value) VALUES ('choices', 1)
        ON CONFLICT (name) DO UPDATE SET value = core_version.value + 1;
    RETURN NULL;
END
$$;
""" + "".join(f"""
CREATE TRIGGER dashboard_choices_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_raise_choices_version();
""" for table in TABLES)

DROP = "".join(f"DROP TRIGGER IF EXISTS dashboard_choices_version ON {table};\n"
               for table in TABLES) + """
DROP FUNCTION IF EXISTS reports_raise_choices_version();
DELETE FROM core_version WHERE name = 'choices';
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
        ('reports', '0011_task_facts_triggers'),
        ('core', '0002_version'),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
