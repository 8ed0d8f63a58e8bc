"""A change never waits for a computation of the per-task facts (see tasks.facts).

The triggers of 0012 (and reports 0011) took the computations' advisory lock shared, so a writer
waited for a computation to commit. A computation inside a request that went on to write could
then wait for that writer's rows while the writer waited for it: a deadlock under load. Now a
trigger takes no lock, and deletes only the rows no computation holds (SKIP LOCKED): the rows a
computation is replacing may be computed from data the change replaces, but the trigger lists the
task stale in any case, so the next computation replaces them again before anyone reads them.
"""

import importlib
import re

from django.db import migrations

from core.triggers import Trigger, create

FIRST = importlib.import_module("tasks.migrations.0012_task_facts")
LOCK = FIRST.LOCK

_DELETE = re.compile(r"DELETE FROM tasks_taskfacts WHERE task_id IN (\(.*?\));")


def never_waiting(trigger: Trigger) -> Trigger:
    """`trigger` with, on PostgreSQL, its delete of facts rows skipping the rows a computation
    holds locked."""
    statement = _DELETE.sub(
        lambda match: ("DELETE FROM tasks_taskfacts WHERE id IN (SELECT id FROM tasks_taskfacts "
                       f"WHERE task_id IN {match.group(1)} FOR UPDATE SKIP LOCKED);"),
        trigger.statement, count=1)
    return Trigger(trigger.name, trigger.table, trigger.event, trigger.statement,
                   trigger.condition, postgresql=statement)


def forwards(apps, schema_editor):
    create(schema_editor, [never_waiting(trigger) for trigger in FIRST.TRIGGERS])


def backwards(apps, schema_editor):
    create(schema_editor, FIRST.TRIGGERS, lock=LOCK)


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0014_resolution_is_public"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
