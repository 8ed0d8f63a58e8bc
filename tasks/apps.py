from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Programmes and tasks")

    def ready(self):
        from . import (
            kinds,  # noqa: F401  (declares this app's notification and file job kinds)
            unit_changes,
        )

        unit_changes.register()  # what a unit that ends passes on: its open tasks

        from celery.signals import task_postrun

        task_postrun.connect(_settle_after_job, weak=False)


def _settle_after_job(**_kwargs):
    """A job that changed tasks pays for their facts, as a request does (tasks.facts)."""
    from .facts import writes_settled

    writes_settled()
