from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Progress reports")

    def ready(self):
        from tasks.pages import task_page_sections

        from .pages import task_reports_section

        task_page_sections.register(task_reports_section)
