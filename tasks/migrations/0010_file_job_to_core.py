"""File jobs move to the shared machinery (core.FileJob): an import's resolution is kept in its
parameters, and the table becomes core's (core's first migration takes the model over)."""

from django.db import migrations


def resolution_into_params(apps, schema_editor):
    FileJob = apps.get_model("tasks", "FileJob")
    for job in FileJob.objects.exclude(resolution=None).only("params", "resolution_id"):
        job.params = {**job.params, "resolution": job.resolution_id}
        job.save(update_fields=["params"])


def params_into_resolution(apps, schema_editor):
    FileJob = apps.get_model("tasks", "FileJob")
    for job in FileJob.objects.all().only("params"):
        if "resolution" in job.params:
            job.resolution_id = job.params["resolution"]
            job.save(update_fields=["resolution"])


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0009_output_reported_at"),
    ]

    operations = [
        migrations.RunPython(resolution_into_params, params_into_resolution),
        migrations.RemoveField(model_name="filejob", name="resolution"),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="filejob",
                                                            table="core_filejob")],
            state_operations=[migrations.DeleteModel(name="FileJob")],
        ),
    ]
