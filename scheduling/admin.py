"""Sessions and feeds in the admin, read-only: they change through the case's pages, which send
the invites; an edit here would leave the invitees' calendars behind."""

from django.contrib import admin

from mediation.admin import ReadOnlyAdminMixin
from scheduling.models import Attendee, CalendarFeed, Session


class AttendeeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attendee
    fields = ("participation", "user", "rsvp", "responded_at", "attended", "removed_at")
    readonly_fields = fields
    extra = 0


@admin.register(Session)
class SessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "case",
        "kind",
        "starts_at",
        "ends_at",
        "status",
        "duration_minutes",
        "sequence",
    )
    list_filter = ("status", "kind", "recorded_afterwards")
    search_fields = ("case__reference",)
    date_hierarchy = "starts_at"
    # Place and arrangements are left out: the admin is not the planning page.
    fields = (
        "case",
        "kind",
        "starts_at",
        "ends_at",
        "status",
        "recorded_afterwards",
        "channel",
        "duration_minutes",
        "uid",
        "sequence",
        "organizer",
        "reminder_queued_at",
        "created_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [AttendeeInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Which mediators have a feed. Only its hash is stored; revoking is on the feed page."""

    list_display = ("user", "created_at", "changed_at")
    fields = ("user", "created_at", "version", "changed_at")
    readonly_fields = fields
