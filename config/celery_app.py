import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("programme_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Background work lives in each app's jobs.py: in this project a "task" is a programme task.
app.autodiscover_tasks(related_name="jobs")
