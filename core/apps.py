from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The project's machinery, shared by every app and owning no programme data: audit records,
    queueing jobs and the job log, file jobs, the REST API's base, text helpers."""

    name = "core"
    verbose_name = _("Shared machinery")

    def ready(self):
        from .ids import IdConverter

        # Before any URLconf is read: every app's urls.py and the API router use `<id:…>`.
        register_converter(IdConverter, "id")
