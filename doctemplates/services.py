"""Document templates: check, save as a new version, pick the current one, and render.

The API that other apps (`letters`) call:

- `template_check(*, kind, title, body)`: ValidationError naming each unknown field or bad `$`.
- `template_version_save(*, kind, organisation, language, title, body, actor)`: new wording as
  the next version (supervisors and superusers only; audited as `template.saved`).
- `template_current(*, kind, organisation, language)`: the version in use, falling back from
  the organisation's own wording to the default, then to Tafel's built-in wording.
- `template_render(*, kind, organisation, language, values)`: plain text (no HTML: callers
  escape it when they show it) and the version it was made from.
- `template_for_editing(*, kind, organisation, language, actor)`: the template page's "adjust
  the wording" (made from the wording in use when it does not exist yet).

A version records its number; `version.is_current` and `version.template.current_number` tell
whether a document was made from the wording now in use.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from string import Template

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from doctemplates.defaults import default_wording
from doctemplates.fields import FIELDS
from doctemplates.models import DocumentTemplate, DocumentTemplateVersion
from mediation.roles import Role, roles_of
from mediation.types import AnyUser, User

# How much text around a lone `$` the refusal quotes, so the writer can find it.
_CONTEXT = 12


def may_edit_templates(user: AnyUser) -> bool:
    """Supervisors and superusers adjust the wording; nobody else sees the template pages."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or Role.SUPERVISOR in roles_of(user)


def _check_target(*, kind: str, language: str) -> None:
    if kind not in FIELDS:
        raise ValidationError({"kind": _("Choose one of the kinds of template.")})
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose Dutch or English.")})


def _problems(text: str, fields: Mapping[str, object]) -> list[str]:
    """What is wrong with the fields of `text`: each unknown field, each lone `$`."""
    template = Template(text)
    problems = []
    known = ", ".join(f"${name}" for name in fields)
    for name in dict.fromkeys(template.get_identifiers()):
        if name not in fields:
            problems.append(
                _(
                    "The template uses a field that does not exist: $%(field)s. "
                    "Fields you can use: %(known)s."
                )
                % {"field": name, "known": known}
            )
    if not template.is_valid():
        for match in template.pattern.finditer(text):
            if match.group("invalid") is not None:
                start = match.start("invalid")
                near = text[max(0, start - _CONTEXT) : start + _CONTEXT].replace("\n", " ")
                problems.append(
                    _(
                        "The template has a $ that is not followed by a field name, "
                        "near “%(near)s”. Write $$ for a dollar sign."
                    )
                    % {"near": near.strip()}
                )
    return problems


def template_check(*, kind: str, title: str, body: str) -> None:
    """Refuse a title or body with an unknown field or a lone `$`: one message per problem,
    each naming the field, on the key "title" or "body"."""
    if kind not in FIELDS:
        raise ValidationError({"kind": _("Choose one of the kinds of template.")})
    errors = {
        name: problems
        for name, text in (("title", title), ("body", body))
        if (problems := _problems(text, FIELDS[kind]))
    }
    if errors:
        raise ValidationError(errors)


def _normalised(text: str) -> str:
    # Browsers send a textarea's line breaks as CRLF; the same text must compare equal.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _latest(template: DocumentTemplate) -> DocumentTemplateVersion | None:
    return template.versions.order_by("-number").first()


def _version_add(
    *, template: DocumentTemplate, title: str, body: str, actor: User | None, built_in: bool
) -> DocumentTemplateVersion:
    """The next version of `template`, which the caller holds locked; audited."""
    latest = _latest(template)
    version = DocumentTemplateVersion(
        template=template,
        number=(latest.number if latest is not None else 0) + 1,
        title=title,
        body=body,
        created_by=actor,
    )
    version.full_clean()
    version.save()
    audit_record(
        action=AuditAction.TEMPLATE_SAVED,
        actor=actor,
        target=version,
        details={
            "kind": template.kind,
            "organisation": template.organisation,
            "language": template.language,
            "version": version.number,
            **({"built_in": True} if built_in else {}),
        },
    )
    return version


def _locked_template(*, kind: str, organisation: str, language: str) -> DocumentTemplate:
    template = DocumentTemplate(kind=kind, organisation=organisation, language=language)
    template.full_clean(validate_unique=False, validate_constraints=False)
    template, _created = DocumentTemplate.objects.get_or_create(
        kind=kind, organisation=organisation, language=language
    )
    # Lock the row: two supervisors may save the same template at once, and each must get
    # its own number.
    return DocumentTemplate.objects.select_for_update().get(pk=template.pk)


@transaction.atomic
def template_version_save(
    *, kind: str, organisation: str, language: str, title: str, body: str, actor: User
) -> DocumentTemplateVersion:
    """Save new wording as the template's next version and return it; the current version
    itself when the title and body are unchanged. Makes the template when it has none yet."""
    if not may_edit_templates(actor):
        raise PermissionDenied
    _check_target(kind=kind, language=language)
    title, body = _normalised(title).strip(), _normalised(body)
    template_check(kind=kind, title=title, body=body)
    template = _locked_template(kind=kind, organisation=organisation, language=language)
    latest = _latest(template)
    if latest is not None and latest.title == title and latest.body == body:
        return latest
    return _version_add(template=template, title=title, body=body, actor=actor, built_in=False)


def template_current(*, kind: str, organisation: str, language: str) -> DocumentTemplateVersion:
    """The version in use for `organisation` in `language`: its own template's, else the
    default's (organisation ""), else the default made now from Tafel's built-in wording."""
    _check_target(kind=kind, language=language)
    candidates = DocumentTemplateVersion.objects.filter(
        template__kind=kind,
        template__language=language,
        template__organisation__in={organisation, ""},
    ).select_related("template")
    # The organisation's own template first (its name sorts after ""), then the highest number.
    found = candidates.order_by("-template__organisation", "-number").first()
    if found is not None:
        return found
    return _built_in_make(kind=kind, language=language)


@transaction.atomic
def _built_in_make(*, kind: str, language: str) -> DocumentTemplateVersion:
    """Version 1 of the default template, from the built-in wording in `language`."""
    template = _locked_template(kind=kind, organisation="", language=language)
    latest = _latest(template)
    if latest is not None:  # made by someone else while we waited for the lock
        return latest
    with translation.override(language):
        title, body = default_wording(kind)
    return _version_add(template=template, title=title, body=body, actor=None, built_in=True)


@transaction.atomic
def template_for_editing(
    *, kind: str, organisation: str, language: str, actor: User
) -> DocumentTemplate:
    """The template of `kind` for `organisation` in `language`, to adjust its wording. When it
    has none yet, it is made from the wording in use now (the default's, or the built-in), so
    the first version of an organisation's own wording is the text it received until then."""
    if not may_edit_templates(actor):
        raise PermissionDenied
    current = template_current(kind=kind, organisation=organisation, language=language)
    if current.template.organisation == organisation:
        return current.template
    return template_version_save(
        kind=kind,
        organisation=organisation,
        language=language,
        title=current.title,
        body=current.body,
        actor=actor,
    ).template


@dataclass(frozen=True)
class Rendered:
    """A document made from a template: plain text, and the version it was made from."""

    title: str
    body: str
    version: DocumentTemplateVersion


def _fill(text: str, mapping: Mapping[str, str]) -> str:
    template = Template(text)
    # A field the kind no longer has renders empty, like a missing value; a lone `$` (only in
    # text saved before the check) stays as it is.
    unknown = dict.fromkeys(template.get_identifiers(), "")
    return template.safe_substitute({**unknown, **mapping})


def template_render(
    *, kind: str, organisation: str, language: str, values: Mapping[str, str]
) -> Rendered:
    """Fill the current template's fields with `values` (a missing one is empty text)."""
    version = template_current(kind=kind, organisation=organisation, language=language)
    mapping = {name: str(values.get(name, "") or "") for name in FIELDS[kind]}
    # The title is one line: a value with line breaks is joined with spaces there.
    title_mapping = {name: " ".join(value.split()) for name, value in mapping.items()}
    return Rendered(
        title=_fill(version.title, title_mapping),
        body=_fill(version.body, mapping),
        version=version,
    )
