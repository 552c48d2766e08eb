"""Admin for system configuration. Cases are shown, never moved: their status changes only
through `case_transition`, and the admin has no access to notes."""

from django.contrib import admin

from cases.models import Case, CaseKind, CaseStatusChange, ConflictOfInterestDeclaration
from mediation.admin import ReadOnlyAdminMixin


@admin.register(CaseKind)
class CaseKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en", "active", "position"]
    list_editable = ["active", "position"]

    def has_delete_permission(self, request, obj=None):
        # A kind in use stays (PROTECT); switch it off with `active` instead.
        return obj is None or not obj.cases.exists()


class StatusChangeInline(admin.TabularInline):
    model = CaseStatusChange
    fields = ("changed_at", "transition", "from_status", "to_status", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Metadata only. Status, outcome, people and dates are read-only here."""

    list_display = ["reference", "title", "kind", "status", "referred_on", "lead_mediator"]
    list_filter = ["status", "kind", "urgency", "safety_concern"]
    search_fields = ["reference", "title"]
    list_select_related = ["kind", "lead_mediator"]
    fields = [
        "reference",
        "kind",
        "title",
        "referring_organisation",
        "referred_by",
        "referred_on",
        "urgency",
        "safety_concern",
        "status",
        "outcome",
        "ended_on",
        "lead_mediator",
        "co_mediators",
    ]
    readonly_fields = [
        "reference",
        "kind",
        "referred_by",
        "referred_on",
        "status",
        "outcome",
        "ended_on",
        "lead_mediator",
        "co_mediators",
    ]
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):
        return False  # a case starts as a referral, through the referral form

    def has_delete_permission(self, request, obj=None):
        return False  # retention and erasure have their own procedure


@admin.register(ConflictOfInterestDeclaration)
class ConflictOfInterestDeclarationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "mediator", "declaration", "parties_accepted_on", "declared_at"]
    fields = ("case", "mediator", "declaration", "parties_accepted_on", "declared_at")
    readonly_fields = fields
