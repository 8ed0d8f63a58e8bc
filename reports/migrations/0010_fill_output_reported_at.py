"""Outputs already reported on are marked so (tasks.Output.reported_at), from the reports that
speak of them: the tasks app reads its own field instead of the reports' reverse relation."""

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery


def fill(apps, schema_editor):
    Output = apps.get_model("tasks", "Output")
    OutputProgress = apps.get_model("reports", "OutputProgress")
    first = (OutputProgress.objects.filter(output=OuterRef("pk")).order_by()
             .values("output").annotate(first=Min("report__created_at")).values("first"))
    Output.objects.filter(reported_at__isnull=True).update(reported_at=Subquery(first))


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0009_history_of_lateness_and_monthly_data"),
        ("tasks", "0009_output_reported_at"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
