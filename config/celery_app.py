import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("programme_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Background work lives in each app's jobs.py: in this project a "task" is a programme task.
app.autodiscover_tasks(related_name="jobs")


@setup_logging.connect
def use_django_logging(**kwargs):
    """Workers and beat log through Django's LOGGING (JSON lines with the job id in production),
    not Celery's own format: a receiver of this signal stops Celery from configuring logging."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
