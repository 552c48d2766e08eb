"""Admin pieces shared by the apps, and the admin of the project's own settings table."""

from django.contrib import admin

from mediation.models import HttpDelivery, UserSettings


class ReadOnlyAdminMixin:
    """Show records, never add, change or delete them: they change only through services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UserSettings)
class UserSettingsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Users' own settings, to look at when someone asks why they get no email; each user
    changes their own on their settings page."""

    list_display = ["user", "email_language", "notices_off", "updated_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]


@admin.register(HttpDelivery)
class HttpDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Calls to other systems (a municipality's Zaken API), to see what waits, what went and
    what failed; they change only through the worker."""

    list_display = ["purpose", "method", "status", "attempts", "last_error", "created_at"]
    list_filter = ["status", "sender", "purpose"]
    search_fields = ["uid", "group"]
