"""A report's change never waits for a computation of the per-task facts: as tasks 0015 does for
the tasks' triggers. The reporting periods' triggers keep the lock: they delete every row and
every stored day, so they wait for a computation rather than let it store a day from the periods
they replace (a change of the periods is rare)."""

import importlib

from django.db import migrations

from core.triggers import create

FIRST = importlib.import_module("reports.migrations.0011_task_facts_triggers")
NEVER_WAITING = importlib.import_module("tasks.migrations.0015_facts_triggers_never_wait")
REPORTS = [trigger for trigger in FIRST.TRIGGERS if trigger.table == "reports_progressreport"]


def forwards(apps, schema_editor):
    create(schema_editor, [NEVER_WAITING.never_waiting(trigger) for trigger in REPORTS])


def backwards(apps, schema_editor):
    create(schema_editor, REPORTS, lock=FIRST.LOCK)


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0013_indicators_data_version"),
        ("tasks", "0015_facts_triggers_never_wait"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
