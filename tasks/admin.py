from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    DeadlineChange,
    OccurrenceCompletion,
    Output,
    Resolution,
    Task,
    TaskGroup,
)


class TaskGroupInline(admin.TabularInline):
    model = TaskGroup
    fields = ["number", "name", "name_en"]
    extra = 0


@admin.register(Resolution)
class ResolutionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "issuer", "issued_on", "implements", "is_tracked",
                    "is_public"]
    list_filter = ["kind", "is_tracked", "is_public"]
    search_fields = ["number", "title", "title_en", "issuer"]
    autocomplete_fields = ["implements"]
    inlines = [TaskGroupInline]


@admin.register(TaskGroup)
class TaskGroupAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "resolution", "number"]
    list_filter = ["resolution"]
    search_fields = ["name", "name_en", "resolution__number"]
    list_select_related = ["resolution"]


class OutputInline(admin.TabularInline):
    model = Output
    fields = ["position", "kind", "title", "document_number", "issued_on", "file"]
    extra = 0


class OccurrenceCompletionInline(admin.TabularInline):
    model = OccurrenceCompletion
    fields = ["due", "completed_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("completed occurrences (recurring tasks)")

    def has_add_permission(self, request, obj=None):
        # Occurrences are completed by approved reports, not typed in.
        return False


class DeadlineChangeInline(admin.TabularInline):
    model = DeadlineChange
    fields = ["old_text", "old_deadline", "new_text", "new_deadline", "decision_number",
              "decision_date", "decision_authority", "changed_by", "changed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # A deadline changes only through the service, which records the decision.
        return False


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["code", "short_title", "resolution", "group", "lead_unit", "deadline_display",
                    "completed_on", "is_illustrative"]
    list_filter = ["resolution", "group", "deadline_kind", "competent_authority",
                   "is_illustrative", ("completed_on", admin.EmptyFieldListFilter)]
    search_fields = ["code", "title", "title_en", "description", "lead_unit__name"]
    autocomplete_fields = ["group", "lead_unit", "coordinating_units"]
    readonly_fields = ["resolution", "original_deadline_kind", "original_deadline",
                       "original_deadline_text", "created_at", "updated_at"]
    list_select_related = ["resolution", "group", "lead_unit"]
    inlines = [OutputInline, OccurrenceCompletionInline, DeadlineChangeInline]
    date_hierarchy = "deadline"

    @admin.display(description=_("task"), ordering="sort_key")
    def short_title(self, obj):
        return obj.title if len(obj.title) <= 80 else f"{obj.title[:79]}…"

    def get_readonly_fields(self, request, obj=None):
        # Once a task exists its deadline moves only by a recorded decision (DeadlineChange).
        if obj is not None:
            return [*self.readonly_fields, "deadline_kind", "deadline", "deadline_text"]
        return self.readonly_fields


@admin.register(Output)
class OutputAdmin(SimpleHistoryAdmin):
    list_display = ["title", "task", "kind", "document_number", "issued_on"]
    list_filter = ["kind", ("issued_on", admin.EmptyFieldListFilter)]
    search_fields = ["title", "document_number", "task__code", "task__title"]
    autocomplete_fields = ["task"]
    list_select_related = ["task"]


@admin.register(DeadlineChange)
class DeadlineChangeAdmin(SimpleHistoryAdmin):
    list_display = ["task", "old_text", "new_text", "decision_number", "decision_date",
                    "changed_by", "changed_at"]
    list_filter = ["decision_authority"]
    search_fields = ["task__code", "task__title", "decision_number", "reason"]
    list_select_related = ["task", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OccurrenceCompletion)
class OccurrenceCompletionAdmin(SimpleHistoryAdmin):
    list_display = ["task", "due", "completed_on"]
    list_filter = ["due"]
    search_fields = ["task__code", "task__title"]
    list_select_related = ["task"]
    date_hierarchy = "due"
