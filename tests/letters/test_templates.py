"""Letters and the agreement to sign made from the organisation's templates (issue 22, point 3):
each records the template's version, and says so after the wording changed."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from cases.keys import case_data_key_or_none
from cases.services import case_transition
from doctemplates.models import TemplateKind
from doctemplates.services import template_version_save
from letters.models import Letter, LetterPurpose
from letters.services import letter_text
from tests.cases.agreement_helpers import TEXT as AGREEMENT_TEXT
from tests.letters.conftest import by_post, jan_of

pytestmark = pytest.mark.django_db

UTRECHT = "Gemeente Utrecht"


def text_of(letter: Letter):
    return letter_text(letter=letter, key=case_data_key_or_none(letter.case))


def save(personas, number: int) -> None:
    template_version_save(
        kind=TemplateKind.INVITATION,
        organisation=UTRECHT,
        language="en",
        title=f"Invitation (wording {number}) · $case_reference",
        body=f"Dear $recipient_name,\n\nWording {number}: come on $session_date at $place.",
        actor=personas.supervisor,
    )


def test_an_invitation_letter_uses_the_organisations_wording_and_records_its_version(
    client, post_case, schedule, personas
):
    for number in (1, 2):
        save(personas, number)
    schedule(post_case)  # made from version 2
    letter = Letter.objects.get(case=post_case)
    version = letter.template_version
    assert (version.number, version.template.organisation) == (2, UTRECHT)
    text = text_of(letter)
    assert text.title == f"Invitation (wording 2) · {post_case.reference}"
    assert text.body.startswith("Dear Jan de Vries,\n\nWording 2: come on Tuesday 6 July 2027")

    client.force_login(personas.mediator)
    url = reverse("letters:detail", args=[post_case.pk, letter.pk])
    page = client.get(url).content.decode()
    assert "Made from version 2 of the template “Invitation letter” (Gemeente Utrecht" in page
    assert "The template has changed since" not in page

    save(personas, 3)
    page = client.get(url).content.decode()
    assert "Made from version 2 of the template “Invitation letter”" in page
    assert "The template has changed since: version 3 is in use now." in page
    # The letter keeps the wording it was made with.
    assert "Wording 2:" in page and "Wording 3:" not in page


def test_a_template_version_a_letter_was_made_from_cannot_be_deleted(post_case, schedule):
    schedule(post_case)
    version = Letter.objects.get(case=post_case).template_version
    with pytest.raises(Exception, match="protected"):
        version.delete()


def test_closing_makes_a_closing_letter_for_a_party_by_post(in_sessions, personas):
    by_post(in_sessions, personas.mediator, language="en")
    case = case_transition(
        case=in_sessions, name="end_without_agreement", actor=personas.mediator, reason="Geen."
    )
    letter = Letter.objects.get(case=case, purpose=LetterPurpose.CLOSING)
    assert letter.participation == jan_of(case)
    assert letter.template_version.template.kind == TemplateKind.CLOSING
    body = text_of(letter).body
    assert "The outcome: No agreement" in body
    assert f"has ended on {case.ended_on:%-d} " in body
    # Only for post: the municipality's department (email) gets none.
    assert Letter.objects.filter(case=case, purpose=LetterPurpose.CLOSING).count() == 1


def test_a_mediator_makes_a_closing_letter_for_anyone_once_the_case_is_closed(
    client, in_sessions, personas
):
    jan = jan_of(in_sessions)
    client.force_login(personas.mediator)
    url = reverse("letters:closing", args=[in_sessions.pk])
    response = client.post(url, {"participation": jan.pk}, follow=True)
    assert b"The closing letter can be made once the case is closed." in response.content
    assert not Letter.objects.exists()

    case = case_transition(
        case=in_sessions, name="end_without_agreement", actor=personas.mediator, reason="Geen."
    )
    page = client.get(reverse("letters:list", args=[case.pk]))
    assert b"Make the closing letter" in page.content
    response = client.post(url, {"participation": jan.pk})
    letter = Letter.objects.get(case=case, purpose=LetterPurpose.CLOSING)
    assert response["Location"] == reverse("letters:detail", args=[case.pk, letter.pk])
    assert AuditEvent.objects.filter(action=AuditAction.LETTER_MADE, case_id=case.pk).exists()
    for user in (personas.coordinator, personas.supervisor, personas.outsider):
        client.force_login(user)
        assert client.post(url, {"participation": jan.pk}).status_code == 404


def test_the_agreement_to_sign_is_made_from_the_template_with_its_version(
    client, drafted, personas
):
    case = drafted.case
    client.force_login(personas.mediator)
    page = client.get(reverse("agreements:agreement", args=[case.pk]))
    assert b"Make the agreement to sign" in page.content

    response = client.post(
        reverse("agreements:agreement_document", args=[case.pk]), {"language": "nl"}
    )
    letter = Letter.objects.get(case=case, purpose=LetterPurpose.AGREEMENT)
    assert response["Location"] == reverse("letters:detail", args=[case.pk, letter.pk])
    assert letter.participation is None
    assert (letter.language, letter.template_version.template.kind) == ("nl", "agreement")
    text = text_of(letter)
    assert text.title == f"Vaststellingsovereenkomst · {case.reference}"
    assert AGREEMENT_TEXT in text.body
    assert "1. Actie 1: een overleg plannen — Jan de Vries — " in text.body
    assert "Jan de Vries: ______" in text.body
    assert "Gemeente Utrecht, afdeling Wonen: ______" in text.body
    event = AuditEvent.objects.get(action=AuditAction.LETTER_MADE)
    assert AGREEMENT_TEXT not in str(event.details)
    page = client.get(response["Location"]).content.decode()
    assert "For every party." in page
    assert "Made from version 1 of the template “Settlement agreement”" in page

    # A language that does not exist is refused; nothing is made.
    client.post(reverse("agreements:agreement_document", args=[case.pk]), {"language": "xx"})
    assert Letter.objects.filter(case=case).count() == 1
    for user in (personas.coordinator, personas.supervisor, personas.outsider):
        client.force_login(user)
        url = reverse("agreements:agreement_document", args=[case.pk])
        assert client.post(url, {"language": "nl"}).status_code == 404
