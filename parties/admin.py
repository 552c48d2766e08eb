"""Admin for parties: names and kinds only. Contact details and needs are personal data that
the system's configuration does not need, so the admin does not show them."""

from django.contrib import admin

from mediation.admin import ReadOnlyAdminMixin
from parties.models import Party


@admin.register(Party)
class PartyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name_normalised"]
    fields = ("name", "kind", "created_at")
    readonly_fields = fields
