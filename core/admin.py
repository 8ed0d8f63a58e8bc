from django.contrib import admin

from .models import FileJob


@admin.register(FileJob)
class FileJobAdmin(admin.ModelAdmin):
    """Imports and exports, to see why one failed; they are made on their own pages."""

    list_display = ["__str__", "state", "progress", "created_by", "created_at", "source_name",
                    "result_name"]
    list_filter = ["kind", "state"]
    list_select_related = ["created_by"]
    readonly_fields = [field.name for field in FileJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
