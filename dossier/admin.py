from django.contrib import admin

from dossier.models import RetentionPolicy


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    """Administrators set a kind of case's own retention; holds and destruction lists are
    the supervisors' work, on their own pages, through services that audit."""

    list_display = ("kind", "working_notes_days", "dossier_years", "basis")
