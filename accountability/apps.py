from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("Accountability")

    def ready(self):
        from core.page_actions import register_page_action
        from reports.demo import register_demo_step
        from reports.monthly_sections import register_monthly_section
        from reports.waiting import register_secretariat_item, register_unit_item
        from tasks.pages import task_page_sections

        from . import kinds  # noqa: F401  (declares this app's notification and event kinds)
        from .demo import explanations_demo_load
        from .home import secretariat_explanations, unit_explanations
        from .monthly import SECTION_KEY, SECTION_TEMPLATE, monthly_explanations, prepare_rows
        from .pages import indicator_ask_action, report_ask_action, task_explanations_section

        task_page_sections.register(task_explanations_section)
        register_secretariat_item(secretariat_explanations)
        register_unit_item(unit_explanations)
        register_monthly_section(SECTION_KEY, monthly_explanations, SECTION_TEMPLATE,
                                 prepare=prepare_rows)
        register_demo_step(explanations_demo_load)
        register_page_action("indicator", indicator_ask_action)
        register_page_action("report", report_ask_action)
