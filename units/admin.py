from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import EmailPreference, Notification, SignInEvent, Unit, User


class ChildUnitInline(admin.TabularInline):
    model = Unit
    fk_name = "parent"
    fields = ["code", "name", "kind", "is_active"]
    extra = 0
    show_change_link = True
    verbose_name = _("unit under this one")
    verbose_name_plural = _("units under this one")


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["indented_name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "name_en", "short_name"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["members"]
    inlines = [ChildUnitInline]
    list_select_related = ["parent"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        depth = obj.path.count("/") - 2
        return f"{'— ' * depth}{obj.name}"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "unit", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "language"]
    search_fields = ["username", "full_name", "email", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "position", "email", "language")}),
        (_("Unit and role"), {"fields": ("unit", "role")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups",
                                       "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "full_name", "unit", "role", "password1", "password2")}),
    )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter),
                   ("emailed_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject", "body", "key", "recipient__username", "recipient__full_name"]
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "kind", "key", "subject", "body", "link", "created_at",
                       "read_at", "email_wanted", "emailed_at"]

    def has_add_permission(self, request):
        return False  # notifications come from events, never typed in


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user"]


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """The sign-in audit log: read-only, for everyone (rows are written by units.signin only)."""

    list_display = ["occurred_at", "outcome", "username", "user", "ip_address"]
    list_filter = ["outcome", "occurred_at"]
    search_fields = ["username", "ip_address", "user__full_name"]
    date_hierarchy = "occurred_at"
    list_select_related = ["user"]
    readonly_fields = ["occurred_at", "outcome", "username", "user", "ip_address", "user_agent",
                       "path"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
