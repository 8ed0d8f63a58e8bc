from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EvidenceFile, OutputProgress, ProgressReport, ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on", "submission_deadline"]
    list_filter = ["year"]
    search_fields = ["year"]


class OutputProgressInline(admin.TabularInline):
    model = OutputProgress
    fields = ["output", "status", "document_number", "issued_on", "note"]
    autocomplete_fields = ["output"]
    extra = 0


class EvidenceFileInline(admin.TabularInline):
    model = EvidenceFile
    fields = ["original_name", "file", "content_type", "size_bytes", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["task", "unit", "period", "percent_complete", "progress_status", "state",
                    "submitted_at", "decided_at"]
    list_filter = ["state", "progress_status", "period"]
    search_fields = ["task__code", "task__title", "unit__name", "results", "difficulties",
                     "proposals"]
    autocomplete_fields = ["task", "unit"]
    readonly_fields = ["created_by", "created_at", "updated_at", "submitted_by", "submitted_at",
                       "decided_by", "decided_at", "version"]
    list_select_related = ["task", "unit", "period"]
    inlines = [OutputProgressInline, EvidenceFileInline]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "report", "content_type", "size_bytes", "uploaded_by",
                    "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "report__task__code", "sha256"]
    list_select_related = ["report__task", "report__unit", "report__period", "uploaded_by"]
