import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Change times that another system can sync on (`updated_since`): indexed on resolutions
    and outputs, and a new one on task groups."""

    dependencies = [
        ("tasks", "0003_overdue_since"),
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
        migrations.AddField(
            model_name="taskgroup",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True,
                                       default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicaltaskgroup",
            name="updated_at",
            field=models.DateTimeField(blank=True, db_index=True, editable=False,
                                       default=django.utils.timezone.now),
            preserve_default=False,
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
