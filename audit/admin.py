from django.contrib import admin

from audit.models import AuditEvent
from mediation.admin import ReadOnlyAdminMixin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the trail is written by services only, and never changed."""

    list_display = ["sequence", "occurred_at", "actor_label", "action", "target_type", "case_id"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_id"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
