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
