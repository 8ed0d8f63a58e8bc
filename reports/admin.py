from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    EvidenceFile,
    MonthlyReportData,
    OutputProgress,
    ProgressReport,
    ReportingPeriod,
    ReportLateness,
)


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
    fields = ["download", "content_type", "size_bytes", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("file"))
    def download(self, obj):
        # Through the view that checks permission: media files are never served directly.
        return format_html('<a href="{}">{}</a>', reverse("evidence_download", args=[obj.pk]),
                           obj.original_name)

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
    fields = ["report", "download", "content_type", "size_bytes", "sha256", "uploaded_by",
              "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("evidence_download", args=[obj.pk]),
                           obj.original_name)

    def has_add_permission(self, request):
        return False  # evidence is attached to a report through its page
    list_display = ["original_name", "report", "content_type", "size_bytes", "uploaded_by",
                    "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "report__task__code", "sha256"]
    list_select_related = ["report__task", "report__unit", "report__period", "uploaded_by"]


@admin.register(ReportLateness)
class ReportLatenessAdmin(admin.ModelAdmin):
    """Rows written by the `reports.record_late_reports` job: read, or deleted to be recomputed."""

    list_display = ["period", "task", "unit", "submitted_at", "recorded_at"]
    list_filter = ["period", ("submitted_at", admin.EmptyFieldListFilter)]
    search_fields = ["task__code", "task__title", "unit__code", "unit__name"]
    list_select_related = ["period", "task", "unit"]
    readonly_fields = ["period", "task", "unit", "submitted_at", "recorded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonthlyReportData)
class MonthlyReportDataAdmin(admin.ModelAdmin):
    """Figures stored by the `reports.build_monthly_report_data` job. Deleting the latest
    period's row lets the job's next run build it again."""

    list_display = ["period", "generated_at", "generated_by_job"]
    list_filter = ["generated_by_job", "period__year"]
    search_fields = ["period__year"]
    list_select_related = ["period"]
    readonly_fields = ["period", "data", "generated_at", "generated_by_job"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
