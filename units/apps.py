from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Units and users")

    def ready(self):
        from . import signin  # noqa: F401  (connects the sign-in audit receivers)
