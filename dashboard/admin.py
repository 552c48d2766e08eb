from django.contrib import admin

from dashboard.models import HomeVisit
from mediation.admin import ReadOnlyAdminMixin


@admin.register(HomeVisit)
class HomeVisitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "latest_at", "previous_at")
    search_fields = ("user__username",)
