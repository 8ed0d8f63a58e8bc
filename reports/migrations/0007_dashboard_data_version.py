"""The dashboard's data version: one row, raised by triggers on every table the dashboard reads.

PostgreSQL only (elsewhere the dashboard is not cached). Statement-level triggers, so a bulk
write raises it once; on progress reports a row-level trigger skips what no figure reads (a
draft's text and percent being edited): the figures read a report's state, submission time,
task, unit and period, and the percent of approved reports.
"""

from django.db import migrations, models

#: The tables whose every change the dashboard may read.
TABLES = ["units_unit", "units_unit_members", "tasks_resolution", "tasks_taskgroup",
          "tasks_task", "tasks_task_coordinating_units", "tasks_output",
          "tasks_occurrencecompletion", "reports_reportingperiod"]

CREATE = """
INSERT INTO reports_dataversion (id, value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

CREATE OR REPLACE FUNCTION reports_raise_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- an upsert: a table emptied by TRUNCATE (a test database being flushed) starts again
    INSERT INTO reports_dataversion (id, value) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET value = reports_dataversion.value + 1;
    RETURN NULL;
END
$$;
""" + "".join(f"""
CREATE TRIGGER dashboard_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_raise_data_version();
""" for table in TABLES) + """
CREATE TRIGGER dashboard_data_version AFTER INSERT OR DELETE OR TRUNCATE
    ON reports_progressreport
    FOR EACH STATEMENT EXECUTE FUNCTION reports_raise_data_version();
CREATE TRIGGER dashboard_data_version_update AFTER UPDATE ON reports_progressreport
    FOR EACH ROW WHEN (
        OLD.state IS DISTINCT FROM NEW.state
        OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at
        OR OLD.task_id <> NEW.task_id OR OLD.unit_id <> NEW.unit_id
        OR OLD.period_id <> NEW.period_id
        OR ((OLD.state = 'approved' OR NEW.state = 'approved')
            AND OLD.percent_complete <> NEW.percent_complete)
    )
    EXECUTE FUNCTION reports_raise_data_version();
"""

DROP = "".join(f"DROP TRIGGER IF EXISTS dashboard_data_version ON {table};\n"
               for table in [*TABLES, "reports_progressreport"]) + """
DROP TRIGGER IF EXISTS dashboard_data_version_update ON reports_progressreport;
DROP FUNCTION IF EXISTS reports_raise_data_version();
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
        ('reports', '0006_dashboard_indexes'),
        ('tasks', '0003_overdue_since'),
        ('units', '0002_notifications'),
    ]

    operations = [
        migrations.CreateModel(
            name='DataVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'dashboard data version',
                'verbose_name_plural': 'dashboard data versions',
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
