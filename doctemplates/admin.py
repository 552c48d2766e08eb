"""Templates in the admin, read-only: wording changes only on the template pages, through
`template_version_save`, which checks the fields, numbers the version and audits it."""

from django.contrib import admin

from doctemplates.models import DocumentTemplate, DocumentTemplateVersion
from mediation.admin import ReadOnlyAdminMixin


class DocumentTemplateVersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DocumentTemplateVersion
    fields = ("number", "title", "created_by", "created_at")
    readonly_fields = fields
    extra = 0
    ordering = ("-number",)


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "organisation", "language")
    list_filter = ("kind", "language")
    search_fields = ("organisation",)
    fields = ("kind", "organisation", "language")
    readonly_fields = fields
    inlines = [DocumentTemplateVersionInline]


@admin.register(DocumentTemplateVersion)
class DocumentTemplateVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("template", "number", "created_by", "created_at")
    list_filter = ("template__kind", "template__language")
    list_select_related = ("template", "created_by")
    fields = ("template", "number", "title", "body", "created_by", "created_at")
    readonly_fields = fields
