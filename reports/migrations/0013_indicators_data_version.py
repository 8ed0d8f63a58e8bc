"""The dashboard's data version (0007) raised by changes to the indicators too: the dashboard's
indicator counts and its first screen read the indicators, their targets and their approved
values.

PostgreSQL only, as 0007. Statement-level triggers on the indicators and their targets; on the
values, a row-level trigger skips what no figure reads (a draft or a submitted value being
written): the figures read an approved value's indicator, unit, period and value.
"""

from django.db import migrations

TABLES = ["indicators_indicator", "indicators_indicatortarget"]

#: An approved value, before or after the change.
APPROVED = "(OLD.state = 'approved' OR NEW.state = 'approved')"

CREATE = "".join(f"""
CREATE TRIGGER dashboard_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_raise_data_version();
""" for table in TABLES) + f"""
CREATE TRIGGER dashboard_data_version AFTER TRUNCATE ON indicators_indicatorvalue
    FOR EACH STATEMENT EXECUTE FUNCTION reports_raise_data_version();
CREATE TRIGGER dashboard_data_version_insert AFTER INSERT ON indicators_indicatorvalue
    FOR EACH ROW WHEN (NEW.state = 'approved')
    EXECUTE FUNCTION reports_raise_data_version();
CREATE TRIGGER dashboard_data_version_delete AFTER DELETE ON indicators_indicatorvalue
    FOR EACH ROW WHEN (OLD.state = 'approved')
    EXECUTE FUNCTION reports_raise_data_version();
CREATE TRIGGER dashboard_data_version_update AFTER UPDATE ON indicators_indicatorvalue
    FOR EACH ROW WHEN ({APPROVED} AND (
        OLD.state IS DISTINCT FROM NEW.state
        OR OLD.value <> NEW.value OR OLD.period_end <> NEW.period_end
        OR OLD.indicator_id <> NEW.indicator_id OR OLD.unit_id IS DISTINCT FROM NEW.unit_id))
    EXECUTE FUNCTION reports_raise_data_version();
"""

DROP = "".join(f"DROP TRIGGER IF EXISTS dashboard_data_version ON {table};\n"
               for table in [*TABLES, "indicators_indicatorvalue"]) + "".join(
    f"DROP TRIGGER IF EXISTS dashboard_data_version_{event} ON indicators_indicatorvalue;\n"
    for event in ("insert", "delete", "update"))


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
        ('reports', '0012_choices_version'),
        ('indicators', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
