from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, IndicatorTarget, IndicatorValue


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "resolution", "frequency", "responsible_unit"]
    list_filter = ["resolution", "frequency", "is_illustrative"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["responsible_unit"]
    filter_horizontal = ["tasks", "breakdown_units"]
    inlines = [TargetInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "unit", "period_end", "value", "state", "is_final"]
    list_filter = ["state", "is_final", "indicator"]
    raw_id_fields = ["indicator", "unit"]
    readonly_fields = ["created_by", "submitted_by", "decided_by", "version"]
