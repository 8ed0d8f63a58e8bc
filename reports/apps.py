from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Progress reports")

    def ready(self):
        from .periods import MonthConverter, PeriodKeyConverter

        # Before any URLconf is read (reports.urls, and the API router's periods).
        register_converter(MonthConverter, "month")
        register_converter(PeriodKeyConverter, "period")

        from tasks.pages import task_page_sections

        from .pages import task_cascade_section, task_reports_section

        task_page_sections.register(task_cascade_section)
        task_page_sections.register(task_reports_section)

        from tasks.facts import register_forecaster

        from .dashboard.risk import forecast_facts

        register_forecaster(forecast_facts)

        from tasks.facts import register_after_settle

        from .dashboard.first import first_screen_warm

        register_after_settle(first_screen_warm)

        from .cascade import coverage_item
        from .proposals.waiting import secretariat_proposals
        from .waiting import register_secretariat_item

        register_secretariat_item(coverage_item)
        register_secretariat_item(secretariat_proposals)

        from . import kinds  # noqa: F401  (declares this app's notification and file job kinds)
