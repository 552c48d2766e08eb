"""Reading templates for their pages."""

from django.db.models import OuterRef, Subquery

from cases.models import Case
from doctemplates.models import DocumentTemplate, DocumentTemplateVersion


def current_versions() -> list[DocumentTemplateVersion]:
    """The current version of every template, with its template and who saved it: one query."""
    latest = (
        DocumentTemplateVersion.objects.filter(template=OuterRef("template"))
        .order_by("-number")
        .values("number")[:1]
    )
    return list(
        DocumentTemplateVersion.objects.filter(number=Subquery(latest))
        .select_related("template", "created_by")
        .order_by("template__kind", "template__organisation", "template__language")
    )


def template_versions(template: DocumentTemplate) -> list[DocumentTemplateVersion]:
    """The template's versions, newest first, with who saved each."""
    return list(template.versions.select_related("created_by").order_by("-number"))


def template_current_number(template: DocumentTemplate) -> int:
    """The number of the template's version in use (0 before the first is saved)."""
    return template.current_number


def referring_organisations() -> list[str]:
    """The distinct referring organisations of the cases, sorted: who may have own wording."""
    return sorted(
        set(
            Case.objects.exclude(referring_organisation="")
            .values_list("referring_organisation", flat=True)
            .distinct()
        )
    )
