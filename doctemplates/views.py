"""The template pages, for supervisors and superusers (everyone else: 403, like the other
pages of a role)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from doctemplates import selectors, services
from doctemplates.fields import FIELDS
from doctemplates.forms import TemplateTargetForm, TemplateVersionForm
from doctemplates.models import DocumentTemplate
from mediation.forms import add_service_errors
from mediation.types import AuthenticatedHttpRequest


def _require_editor(request: AuthenticatedHttpRequest) -> None:
    # A role's page: 403, as the roles and report pages answer (a 404 is for a case one may
    # not see).
    if not services.may_edit_templates(request.user):
        raise PermissionDenied


def _template(template_id: int) -> DocumentTemplate:
    with_versions = DocumentTemplate.objects.filter(versions__isnull=False).distinct()
    return get_object_or_404(with_versions, pk=template_id)


@login_required
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every template with its current version; the form opens one to adjust."""
    _require_editor(request)
    organisations = selectors.referring_organisations()
    form = TemplateTargetForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        template = services.template_for_editing(**form.cleaned_data, actor=request.user)
        return redirect("doctemplates:edit", template.pk)
    context = {"versions": selectors.current_versions(), "form": form}
    return render(request, "doctemplates/list.html", context, status=400 if form.errors else 200)


@login_required
def template_edit(request: AuthenticatedHttpRequest, template_id: int) -> HttpResponse:
    """The template's fields, its wording to change (saved as a new version) and its versions."""
    _require_editor(request)
    template = _template(template_id)
    versions = selectors.template_versions(template)
    current = versions[0]
    initial = {"title": current.title, "body": current.body}
    form = TemplateVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        target = {"kind": template.kind, "organisation": template.organisation}
        try:
            saved = services.template_version_save(
                **target, language=template.language, **form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            number = {"number": saved.number}
            if saved.number == current.number:
                messages.info(
                    request, _("Nothing changed: version %(number)s is still in use.") % number
                )
            else:
                messages.success(request, _("Saved as version %(number)s.") % number)
            return redirect("doctemplates:edit", template.pk)
    context = {
        "template": template,
        "current": current,
        "versions": versions,
        "fields": FIELDS[template.kind].items(),
        "form": form,
    }
    return render(request, "doctemplates/edit.html", context, status=400 if form.errors else 200)


@login_required
def template_version(
    request: AuthenticatedHttpRequest, template_id: int, number: int
) -> HttpResponse:
    """One saved version, read-only."""
    _require_editor(request)
    template = _template(template_id)
    version = get_object_or_404(template.versions.select_related("created_by"), number=number)
    context = {"template": template, "version": version, "current_number": template.current_number}
    return render(request, "doctemplates/version.html", context)
