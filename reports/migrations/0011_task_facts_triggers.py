"""The per-task facts (tasks.TaskFacts) hold each task's forecast, read from its lead's approved
reports of the recent periods: a report's approval, withdrawal or percent, and any change to the
reporting periods, delete the rows computed from them (see tasks.facts)."""

from django.db import migrations

from core.triggers import Trigger, create, drop

LOCK = 720282  # tasks.facts.FACTS_LOCK
APPROVED = "'approved'"


def _for(ids: str) -> str:
    """Delete the rows of the tasks `ids` and list them stale (see tasks.facts)."""
    return (f"DELETE FROM tasks_taskfacts WHERE task_id IN ({ids}); "
            f"INSERT INTO tasks_taskfactsstale (task_id) SELECT id FROM tasks_task "
            f"WHERE id IN ({ids})")


TRIGGERS = [
    Trigger("task_facts_report_insert", "reports_progressreport", "INSERT",
            _for("NEW.task_id"), f"NEW.state = {APPROVED}"),
    Trigger("task_facts_report_delete", "reports_progressreport", "DELETE",
            _for("OLD.task_id"), f"OLD.state = {APPROVED}"),
    Trigger("task_facts_report_update", "reports_progressreport", "UPDATE",
            _for("OLD.task_id, NEW.task_id"),
            f"(OLD.state = {APPROVED} OR NEW.state = {APPROVED}) AND (OLD.state <> NEW.state"
            " OR OLD.percent_complete <> NEW.percent_complete OR OLD.task_id <> NEW.task_id"
            " OR OLD.unit_id <> NEW.unit_id OR OLD.period_id <> NEW.period_id)"),
    *[Trigger(f"task_facts_period_{event.lower()}", "reports_reportingperiod", event,
              # every forecast reads the periods: every day is computed again
              "DELETE FROM tasks_taskfactsday; DELETE FROM tasks_taskfacts")
      for event in ("INSERT", "UPDATE", "DELETE")],
]


def create_triggers(apps, schema_editor):
    create(schema_editor, TRIGGERS, lock=LOCK)


def drop_triggers(apps, schema_editor):
    drop(schema_editor, TRIGGERS)


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0010_fill_output_reported_at"),
        ("tasks", "0012_task_facts"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
