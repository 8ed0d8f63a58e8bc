from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ApiToken,
    EmailPreference,
    Notification,
    SignInEvent,
    Unit,
    UnitAlias,
    UnitChange,
    UnitSuccession,
    User,
)
from .services import api_token_revoke


class ChildUnitInline(admin.TabularInline):
    model = Unit
    fk_name = "parent"
    fields = ["code", "name", "kind", "is_active"]
    extra = 0
    show_change_link = True
    verbose_name = _("unit under this one")
    verbose_name_plural = _("units under this one")


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    fields = ["text", "kind", "note"]
    extra = 0


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["indented_name", "code", "kind", "parent", "is_active", "valid_from",
                    "valid_to"]
    list_filter = ["kind", "is_active", "valid_to"]
    search_fields = ["code", "name", "name_en", "short_name", "aliases__text"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["members"]
    inlines = [UnitAliasInline, ChildUnitInline]
    list_select_related = ["parent"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        depth = obj.path.count("/") - 2
        return f"{'— ' * depth}{obj.name}"


class UnitSuccessionInline(admin.TabularInline):
    model = UnitSuccession
    fields = ["position", "unit"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(UnitChange)
class UnitChangeAdmin(SimpleHistoryAdmin):
    """Renames, merges, splits and dissolutions, read here; they are recorded and applied from
    the units pages (Units → a unit → Rename, merge, split or dissolve), which move what the
    unit holds."""

    list_display = ["old_name", "kind", "effective_on", "decision_number", "state",
                    "created_by"]
    list_filter = ["kind", "state", "effective_on"]
    search_fields = ["old_name", "new_name", "decision_number", "unit__code", "unit__name"]
    list_select_related = ["created_by"]
    inlines = [UnitSuccessionInline]
    readonly_fields = ["unit", "kind", "effective_on", "decision_number", "decision_date",
                       "decision_text", "old_name", "new_name", "assignments", "state",
                       "problem", "created_by", "created_at", "applied_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitAlias)
class UnitAliasAdmin(SimpleHistoryAdmin):
    """The other names the importer reads a unit by. An edit here marks the unit as changed by
    an administrator: `seed_reference` then leaves it alone unless told `--force`."""

    list_display = ["text", "unit", "kind", "note"]
    list_filter = ["kind"]
    search_fields = ["text", "note", "unit__code", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


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


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """Tokens are issued with `manage.py create_api_token` (the only time the token is shown);
    here they are listed and revoked. Only a hash is stored, so nothing here can show a token."""

    list_display = ["masked", "user", "name", "scope", "created_at", "expires_at",
                    "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "name", "user__username", "user__full_name"]
    list_select_related = ["user"]
    fields = ["masked", "user", "name", "scope", "created_at", "created_by", "expires_at",
              "last_used_at", "revoked_at"]
    readonly_fields = ["masked", "user", "scope", "created_at", "created_by", "last_used_at",
                       "revoked_at"]
    actions = ["revoke"]

    @admin.display(description=_("token"), ordering="prefix")
    def masked(self, obj):
        return f"pt_{obj.prefix}_…"

    def has_add_permission(self, request):
        return False  # issued by the command, which shows the token once

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            api_token_revoke(token=token, actor=request.user)
        self.message_user(request, _("%(count)d token(s) revoked.") % {"count": len(tokens)},
                          messages.SUCCESS)
