"""Admin for parties: names and kinds only. Contact details and needs are personal data that
the system's configuration does not need, so the admin does not show them."""

from django.contrib import admin

from parties.models import Party


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name_normalised"]
    fields = ["name", "kind", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
