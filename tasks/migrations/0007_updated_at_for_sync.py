from django.db import migrations, models


class Migration(migrations.Migration):
    """Change times that another system can sync on (`updated_since`): indexed on resolutions,
    outputs and task groups."""

    dependencies = [
        ("tasks", "0006_occurrence_due_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="resolution",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="output",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="taskgroup",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="historicaltaskgroup",
            name="updated_at",
            field=models.DateTimeField(blank=True, db_index=True, editable=False),
        ),
        migrations.AlterField(
            model_name="historicalresolution",
            name="updated_at",
            field=models.DateTimeField(blank=True, db_index=True, editable=False),
        ),
        migrations.AlterField(
            model_name="historicaloutput",
            name="updated_at",
            field=models.DateTimeField(blank=True, db_index=True, editable=False),
        ),
    ]
