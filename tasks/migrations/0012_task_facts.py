"""The figures' per-task facts, and the triggers that delete a task's rows whenever anything
they are computed from changes (see tasks/facts)."""

from django.db import migrations, models
import django.db.models.deletion

from core.triggers import Trigger, create, drop

LOCK = 720282  # tasks.facts.FACTS_LOCK


def _for(task: str) -> str:
    """Delete the rows of the task(s) `task` (an id, or a SELECT of ids) and list them stale."""
    ids = f"({task})"
    return (f"DELETE FROM tasks_taskfacts WHERE task_id IN {ids}; "
            f"INSERT INTO tasks_taskfactsstale (task_id) SELECT id FROM tasks_task "
            f"WHERE id IN {ids}")


TRIGGERS = [
    Trigger("task_facts_task_insert", "tasks_task", "INSERT",
            "INSERT INTO tasks_taskfactsstale (task_id) VALUES (NEW.id)"),
    Trigger("task_facts_task", "tasks_task", "UPDATE", _for("OLD.id")),
    *[Trigger(f"task_facts_{short}_{event.lower()}", table, event, _for(f"{row}.task_id"))
      for short, table in (("coordinating", "tasks_task_coordinating_units"),
                           ("output", "tasks_output"),
                           ("occurrence", "tasks_occurrencecompletion"))
      for event, row in (("INSERT", "NEW"), ("DELETE", "OLD"), ("UPDATE", "OLD"))
      if not (short == "coordinating" and event == "UPDATE")],
    Trigger("task_facts_output_moved", "tasks_output", "UPDATE", _for("NEW.task_id"),
            "OLD.task_id <> NEW.task_id"),
    Trigger("task_facts_occurrence_moved", "tasks_occurrencecompletion", "UPDATE",
            _for("NEW.task_id"), "OLD.task_id <> NEW.task_id"),
    Trigger("task_facts_resolution", "tasks_resolution", "UPDATE",
            _for("SELECT id FROM tasks_task WHERE resolution_id = OLD.id")),
    # a lead's kind and members decide its clarity of responsibility and who reports for it
    Trigger("task_facts_unit", "units_unit", "UPDATE",
            _for("SELECT id FROM tasks_task WHERE lead_unit_id = OLD.id")),
    Trigger("task_facts_members_insert", "units_unit_members", "INSERT",
            _for("SELECT id FROM tasks_task WHERE lead_unit_id = NEW.from_unit_id")),
    Trigger("task_facts_members_delete", "units_unit_members", "DELETE",
            _for("SELECT id FROM tasks_task WHERE lead_unit_id = OLD.from_unit_id")),
]


def create_triggers(apps, schema_editor):
    create(schema_editor, TRIGGERS, lock=LOCK)


def drop_triggers(apps, schema_editor):
    drop(schema_editor, TRIGGERS)


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0011_task_notes'),
    ]

    operations = [
        migrations.CreateModel(
            name='TaskFacts',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('resolution_id', models.BigIntegerField()),
                ('group_id', models.BigIntegerField(null=True)),
                ('lead_unit_id', models.BigIntegerField()),
                ('sort_key', models.CharField(max_length=80)),
                ('deadline_kind', models.CharField(max_length=20)),
                ('completed_on', models.DateField(null=True)),
                ('start', models.DateField(null=True)),
                ('status', models.CharField(max_length=20)),
                ('current_due', models.DateField(null=True)),
                ('missed_due', models.DateField(null=True)),
                ('lacks_person', models.BooleanField()),
                ('lacks_work', models.BooleanField()),
                ('lacks_time', models.BooleanField()),
                ('lacks_responsibility', models.BooleanField()),
                ('lacks_product', models.BooleanField()),
                ('lacks_authority', models.BooleanField()),
                ('not_clear', models.BooleanField()),
                ('forecast', models.BooleanField(default=False)),
                ('projected', models.FloatField(null=True)),
                ('latest', models.FloatField(null=True)),
                ('task', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='facts', to='tasks.task')),
            ],
            options={
                'verbose_name': 'task facts',
                'verbose_name_plural': 'task facts',
                'indexes': [
                    models.Index(fields=['task', 'day'], name='task_facts_task_idx'),
                    models.Index(fields=['day', 'status', 'current_due'],
                                 name='task_facts_status_due_idx'),
                    models.Index(condition=models.Q(('status', 'overdue'),
                                                    ('projected__lt', 100), _connector='OR'),
                                 fields=['day', 'lead_unit_id'], include=('status', 'projected'),
                                 name='task_facts_behind_idx'),
                ],
                'constraints': [models.UniqueConstraint(fields=('day', 'task'), name='task_facts_once')],
            },
        ),
        migrations.CreateModel(
            name='TaskFactsDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(unique=True)),
            ],
            options={
                'verbose_name': 'day of task facts',
                'verbose_name_plural': 'days of task facts',
            },
        ),
        migrations.CreateModel(
            name='TaskFactsStale',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('task_id', models.BigIntegerField(db_index=True)),
            ],
            options={
                'verbose_name': 'stale task facts',
                'verbose_name_plural': 'stale task facts',
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
