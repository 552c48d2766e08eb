"""Document templates: fields checked on save, versions numbered, the current one found with
its fallbacks, and rendering that records the version it was made from."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditAction, AuditEvent
from doctemplates.fields import FIELDS, SHARED
from doctemplates.models import DocumentTemplate, DocumentTemplateVersion, TemplateKind
from doctemplates.services import (
    Rendered,
    template_check,
    template_current,
    template_render,
    template_version_save,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INVITATION = TemplateKind.INVITATION.value
UTRECHT = "Gemeente Utrecht"


def save(actor, *, title="Uitnodiging $case_reference", body="Beste $recipient_name,", **target):
    where = {"kind": INVITATION, "organisation": UTRECHT, "language": "nl", **target}
    return template_version_save(**where, title=title, body=body, actor=actor)


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in errors] for field, errors in error.message_dict.items()}


# template_check


def test_an_unknown_field_in_the_body_is_refused_with_its_name():
    with pytest.raises(ValidationError) as refused:
        template_check(kind=INVITATION, title="Uitnodiging", body="Beste $recipient_name, $foo")
    messages = messages_of(refused.value)
    assert list(messages) == ["body"]
    assert "The template uses a field that does not exist: $foo." in messages["body"][0]
    assert "$case_reference" in messages["body"][0]  # the fields one may use


def test_an_unknown_field_in_the_title_is_refused_with_its_name():
    with pytest.raises(ValidationError) as refused:
        template_check(kind=INVITATION, title="Over ${zaaknummer}", body="Beste $recipient_name")
    messages = messages_of(refused.value)
    assert list(messages) == ["title"]
    assert "does not exist: $zaaknummer." in messages["title"][0]


def test_a_field_of_another_kind_is_refused():
    with pytest.raises(ValidationError) as refused:
        template_check(kind=TemplateKind.CLOSING, title="Einde", body="Op $session_date")
    assert "$session_date" in messages_of(refused.value)["body"][0]


def test_each_unknown_field_gets_its_own_message_once():
    with pytest.raises(ValidationError) as refused:
        template_check(kind=INVITATION, title="x", body="$foo $bar $foo")
    assert len(messages_of(refused.value)["body"]) == 2


def test_a_lone_dollar_is_refused_with_advice_to_write_two():
    with pytest.raises(ValidationError) as refused:
        template_check(kind=INVITATION, title="Kosten", body="Het kost $ 10 per uur.")
    (message,) = messages_of(refused.value)["body"]
    assert "Write $$ for a dollar sign" in message
    assert "kost $ 10" in message  # where it is


def test_every_known_field_and_a_double_dollar_are_accepted():
    for kind, fields in FIELDS.items():
        body = "\n".join(f"$name ${{{name}}}".replace("$name", f"${name}") for name in fields)
        template_check(kind=kind, title=" ".join(f"${name}" for name in fields), body=body + " $$5")


def test_every_kind_has_the_shared_fields():
    for fields in FIELDS.values():
        assert set(SHARED) <= set(fields)
    assert {"actions", "signatures", "agreement_text"} <= set(FIELDS[TemplateKind.AGREEMENT])


# template_version_save


def test_saving_numbers_the_versions_and_audits_each(personas):
    first = save(personas.supervisor, body="Een $case_reference")
    second = save(personas.supervisor, body="Twee $case_reference")
    third = save(personas.supervisor, body="Drie $case_reference")

    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert first.template == second.template == third.template
    assert third.created_by == personas.supervisor
    events = AuditEvent.objects.filter(action=AuditAction.TEMPLATE_SAVED).order_by("sequence")
    assert [event.details for event in events] == [
        {"kind": INVITATION, "organisation": UTRECHT, "language": "nl", "version": number}
        for number in (1, 2, 3)
    ]
    assert events.last().target_id == str(third.pk)


def test_saving_the_same_wording_makes_no_new_version(personas):
    first = save(personas.supervisor, body="Beste $recipient_name,\n")
    # A browser sends the textarea's line breaks as CRLF: still the same wording.
    again = save(personas.supervisor, body="Beste $recipient_name,\r\n")

    assert again == first
    assert DocumentTemplateVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.TEMPLATE_SAVED).count() == 1


def test_a_superuser_may_save():
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert save(root).number == 1


@pytest.mark.parametrize("who", ["coordinator", "mediator", "outsider"])
def test_only_supervisors_and_superusers_may_save(personas, who):
    with pytest.raises(PermissionDenied):
        save(getattr(personas, who))
    assert not DocumentTemplate.objects.exists()


def test_a_refused_template_saves_nothing(personas):
    with pytest.raises(ValidationError):
        save(personas.supervisor, body="$onbekend")
    assert not DocumentTemplate.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.TEMPLATE_SAVED).exists()


def test_an_unknown_kind_or_language_is_refused(personas):
    with pytest.raises(ValidationError):
        save(personas.supervisor, kind="memo")
    with pytest.raises(ValidationError):
        save(personas.supervisor, language="de")


# template_current


def test_the_current_falls_back_from_organisation_to_default_to_built_in(personas):
    built_in = template_current(kind=INVITATION, organisation=UTRECHT, language="nl")
    assert built_in.template.organisation == ""
    assert built_in.number == 1
    assert built_in.created_by is None
    assert AuditEvent.objects.get(action=AuditAction.TEMPLATE_SAVED).details["built_in"] is True

    default = save(personas.supervisor, organisation="", body="Standaard $case_reference")
    assert template_current(kind=INVITATION, organisation=UTRECHT, language="nl") == default
    assert default.number == 2

    own = save(personas.supervisor, body="Utrecht $case_reference")
    assert template_current(kind=INVITATION, organisation=UTRECHT, language="nl") == own
    zeist = template_current(kind=INVITATION, organisation="Gemeente Zeist", language="nl")
    assert zeist == default
    assert template_current(kind=INVITATION, organisation="", language="nl") == default
    # Another language has its own templates.
    english = template_current(kind=INVITATION, organisation=UTRECHT, language="en")
    assert english.template.language == "en"
    assert english.created_by is None


def test_the_built_in_wording_is_made_once(db):
    first = template_current(kind=TemplateKind.CLOSING, organisation="", language="en")
    again = template_current(kind=TemplateKind.CLOSING, organisation="", language="en")
    assert first == again
    assert DocumentTemplateVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "dutch", "english"),
    [
        (TemplateKind.INVITATION, "Ik nodig u uit", "I invite you"),
        (TemplateKind.CLOSING, "Bedankt", "Thank you"),
        (TemplateKind.AGREEMENT, "Handtekeningen", "Signatures"),
    ],
)
def test_the_built_in_wording_speaks_the_templates_language(db, kind, dutch, english):
    nl = template_current(kind=kind, organisation="", language="nl")
    en = template_current(kind=kind, organisation="", language="en")
    assert dutch in nl.body
    assert english not in nl.body
    assert english in en.body
    # The built-in wording passes its own check.
    for version in (nl, en):
        template_check(kind=kind, title=version.title, body=version.body)


# template_render


VALUES = {
    "case_reference": "MED-2026-0001",
    "recipient_name": "Jan de Vries",
    "session_date": "12 maart 2026",
    "arrangements": "Tolk Arabisch\nRolstoeltoegankelijk",
}


def test_rendering_fills_the_fields_and_leaves_missing_ones_empty(personas):
    save(
        personas.supervisor,
        title="Uitnodiging ${case_reference} voor $recipient_name",
        body="Beste $recipient_name,\nOp $session_date in $place.\n$arrangements\nKosten: $$0",
    )
    rendered = template_render(kind=INVITATION, organisation=UTRECHT, language="nl", values=VALUES)

    assert isinstance(rendered, Rendered)
    assert rendered.title == "Uitnodiging MED-2026-0001 voor Jan de Vries"
    assert rendered.body == (
        "Beste Jan de Vries,\nOp 12 maart 2026 in .\n"
        "Tolk Arabisch\nRolstoeltoegankelijk\nKosten: $0"
    )
    assert rendered.version.number == 1


def test_a_value_with_line_breaks_stays_on_one_line_in_the_title(personas):
    save(personas.supervisor, title="Over $arrangements")
    rendered = template_render(kind=INVITATION, organisation=UTRECHT, language="nl", values=VALUES)
    assert rendered.title == "Over Tolk Arabisch Rolstoeltoegankelijk"


def test_the_text_is_not_escaped_or_marked_up(personas):
    save(personas.supervisor, body="$recipient_name")
    values = {"recipient_name": "<b>Fatima & Co</b>"}
    rendered = template_render(kind=INVITATION, organisation=UTRECHT, language="nl", values=values)
    assert rendered.body == "<b>Fatima & Co</b>"


def test_the_built_in_wording_renders_without_any_dollar_left(db):
    for kind in TemplateKind.values:
        for language in ("nl", "en"):
            rendered = template_render(kind=kind, organisation="", language=language, values={})
            assert "$" not in rendered.title + rendered.body


def test_a_document_keeps_the_version_it_was_made_from(personas):
    save(personas.supervisor, body="Eén $case_reference")
    save(personas.supervisor, body="Twee $case_reference")
    made = template_render(kind=INVITATION, organisation=UTRECHT, language="nl", values=VALUES)
    assert made.version.is_current
    save(personas.supervisor, body="Drie $case_reference")

    made.version.refresh_from_db()
    assert made.version.number == 2
    assert made.body == "Twee MED-2026-0001"
    assert not made.version.is_current
    assert made.version.template.current_number == 3
    later = template_render(kind=INVITATION, organisation=UTRECHT, language="nl", values=VALUES)
    assert later.version.number == 3
    assert later.version.is_current
