"""Admin pieces shared by the apps, and the admin of the project's own settings table."""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mediation.http_outbox import http_outbox_retry
from mediation.models import HttpDelivery, OutboxStatus, UserSettings


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
    actions = ["queue_again"]

    @admin.action(description=_("Queue the chosen calls that failed for good again"))
    def queue_again(self, request, queryset):
        """Once the cause is put right (an address, a secret, the receiver), a failed call may
        go again, with a fresh count of tries. Each is an audit event: the admin site audits
        every `log_change` (audit.admin_site), which this app cannot import."""
        queued = 0
        with transaction.atomic():
            for delivery in queryset.filter(status=OutboxStatus.FAILED):
                if http_outbox_retry(delivery=delivery):
                    request._audit_fields = ["status", "attempts", "next_attempt_at"]
                    self.log_change(request, delivery, "Queued again")
                    queued += 1
        self.message_user(
            request,
            ngettext("%(count)d call queued again.", "%(count)d calls queued again.", queued)
            % {"count": queued},
        )
