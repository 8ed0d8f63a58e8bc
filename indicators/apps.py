from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from tasks.pages import task_page_sections

        from . import kinds  # noqa: F401  (declares this app's notification kinds)
        from .pages import task_indicators_section

        task_page_sections.register(task_indicators_section)
