from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0008_file_job_queued_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaloutput',
            name='reported_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='first reported on'),
        ),
        migrations.AddField(
            model_name='output',
            name='reported_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='first reported on'),
        ),
    ]
