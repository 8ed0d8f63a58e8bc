from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ExplanationRequest


@admin.register(ExplanationRequest)
class ExplanationRequestAdmin(SimpleHistoryAdmin):
    """Read and audited here; asked and answered through the services (the site's pages)."""

    list_display = ["id", "kind", "unit", "state", "reply_by", "requested_at"]
    list_filter = ["state", "kind"]
    search_fields = ["unit__name", "task__code", "indicator__code", "message"]
    raw_id_fields = ["unit", "task", "period", "indicator"]
    readonly_fields = ["requested_by", "answered_by", "ended_by", "version"]

    def has_add_permission(self, request):
        return False
