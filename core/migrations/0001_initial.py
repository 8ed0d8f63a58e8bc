"""File jobs, taken over from the tasks app (tasks 0009 renamed the table): the state is
created here, the table already exists."""

import core.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("tasks", "0010_file_job_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='FileJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=core.models.file_job_kind_choices, max_length=16, verbose_name='kind')),
                        ('state', models.CharField(choices=[('queued', 'Waiting to start'), ('checking', 'Reading and checking the file'), ('checked', 'Checked: waiting for confirmation'), ('applying', 'Writing the changes'), ('running', 'Preparing the file'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=12, verbose_name='state')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress (%)')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='started at')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                        ('language', models.CharField(default='vi', max_length=5, verbose_name='language')),
                        ('params', models.JSONField(blank=True, default=dict, verbose_name='parameters')),
                        ('source', models.FileField(blank=True, max_length=255, upload_to='task-files/in/%Y/%m/', verbose_name='uploaded file')),
                        ('source_name', models.CharField(blank=True, max_length=255, verbose_name='uploaded file name')),
                        ('result', models.FileField(blank=True, max_length=255, upload_to='task-files/out/%Y/%m/', verbose_name='prepared file')),
                        ('result_name', models.CharField(blank=True, max_length=255, verbose_name='prepared file name')),
                        ('report', models.JSONField(blank=True, default=dict, verbose_name='report')),
                        ('fingerprint', models.CharField(blank=True, max_length=64)),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                        ('queued_at', models.DateTimeField(blank=True, null=True, verbose_name='queued at')),
                        ('taken_up_at', models.DateTimeField(blank=True, null=True, verbose_name='taken up by a worker at')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='started by')),
                    ],
                    options={
                        'verbose_name': 'file job',
                        'verbose_name_plural': 'file jobs',
                        'ordering': ['-created_at', '-id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='file_job_progress_at_most_100')],
                    },
                ),
            ],
        ),
    ]
