from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Units and users")

    def ready(self):
        from . import signin  # noqa: F401  (connects the sign-in audit receivers)
        from .lifecycle.duties import register_duty
        from .selectors import unit_child_holdings, unit_user_holdings
        from .services import unit_children_pass_on, unit_users_pass_on

        # What a unit itself holds when it ends; the tasks app registers its tasks.
        register_duty("units.users", label=_("Users"), holdings=unit_user_holdings,
                      move=unit_users_pass_on, position=50)
        register_duty("units.children", label=_("Units under it"),
                      holdings=unit_child_holdings, move=unit_children_pass_on, position=60)
