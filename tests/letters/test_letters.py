"""Parties who hear from us by post: what the product would email becomes a letter to print,
which the case's mediators print, mark sent, and whose answer they record (issue 22, point 2).
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from cases.keys import case_data_key_or_none
from cases.services import case_transition
from dossier.subjects import person_export
from letters.models import Letter, LetterPurpose, LetterStatus
from letters.selectors import letters_to_print_for
from letters.services import case_letters_destroy, letter_text
from mediation.models import OutboxMessage
from mediation.outbox import outbox_open
from parties.models import ContactChannel
from parties.services import party_update
from scheduling.models import AnswerChannel, Attendee, Rsvp
from scheduling.services import (
    attendee_remove,
    reminders_queue,
    session_cancel,
    session_reschedule,
)
from surveys.models import SurveyInvitation
from tests.letters.conftest import by_post, jan_of
from tests.scheduling.conftest import JAN, at

pytestmark = pytest.mark.django_db


def recipients(case) -> list[str]:
    return [
        address
        for outgoing in OutboxMessage.objects.filter(case_id=case.pk)
        for address in outbox_open(outgoing).to
    ]


def text_of(letter: Letter):
    return letter_text(letter=letter, key=case_data_key_or_none(letter.case))


def test_a_party_by_post_gets_no_email_but_a_letter_in_their_language(
    post_case, schedule, personas
):
    session = schedule(post_case, step_free_access=True, accessibility_notes="Ingang achterzijde")

    assert JAN not in recipients(post_case)
    assert recipients(post_case)  # the others still get their email
    [letter] = Letter.objects.filter(case=post_case)
    assert letter.participation == jan_of(post_case)
    assert (letter.purpose, letter.status, letter.language) == ("invite", "to_print", "en")
    text = text_of(letter)
    # The invitation comes from the organisation's template (the built-in wording here).
    assert text.title == f"Invitation for a mediation meeting · {post_case.reference}"
    assert letter.template_version.template.kind == "invitation"
    assert "Dear Jan de Vries," in text.body
    assert "Stadhuis Utrecht, kamer 2.14" in text.body
    assert "When: Tuesday 6 July 2027, 14:00 to 16:00" in text.body
    assert "What: Joint session" in text.body
    # The arrangements: the interpreter (Fatima needs one), step-free access, the notes.
    assert "An interpreter is present." in text.body
    assert "The place has step-free access." in text.body
    assert "Ingang achterzijde" in text.body
    # How to reach the mediator, and how to answer without a link.
    assert personas.mediator.email in text.body
    assert "Will you come? Please let me know. You can call, email or write to me." in text.body
    assert "/invite/" not in text.body  # no answer links on paper
    assert letter.answer_path.startswith(
        reverse("scheduling:detail", args=[post_case.pk, session.pk])
    )


def test_a_dutch_party_gets_a_dutch_letter(case, schedule, personas):
    by_post(case, personas.mediator, language="nl")
    schedule(case)
    text = text_of(Letter.objects.get(case=case))
    assert "Beste Jan de Vries," in text.body
    assert "dinsdag 6 juli 2027, 14:00 tot 16:00" in text.body


def test_the_letter_is_sealed_in_the_database(post_case, schedule):
    schedule(post_case, place="Buurthuis LETTER-MARKER-7c1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed_title, sealed_body FROM letters_letter")
        stored = b"".join(bytes(value) for row in cursor.fetchall() for value in row)
    assert b"LETTER-MARKER-7c1" not in stored
    assert b"Jan de Vries" not in stored


def test_a_change_replaces_a_letter_not_printed_yet_and_a_cancellation_follows(
    post_case, schedule, personas
):
    session = schedule(post_case)
    [invite] = Letter.objects.filter(case=post_case)
    session_reschedule(
        session=session,
        actor=personas.mediator,
        starts_at=at(2027, 7, 7, 10),
        ends_at=at(2027, 7, 7, 12),
    )
    invite.refresh_from_db()
    assert invite.status == LetterStatus.REPLACED
    update = Letter.objects.get(case=post_case, status=LetterStatus.TO_PRINT)
    assert update.purpose == LetterPurpose.UPDATE
    assert "Wednesday 7 July 2027 from 10:00 to 12:00" in text_of(update).body

    Letter.objects.filter(pk=update.pk).update(status=LetterStatus.SENT)  # printed and posted
    session_cancel(session=session, actor=personas.mediator)
    cancel = Letter.objects.get(case=post_case, status=LetterStatus.TO_PRINT)
    assert cancel.purpose == LetterPurpose.CANCEL
    assert "The talk is cancelled." in text_of(cancel).body
    assert cancel.answer_path == ""
    assert Letter.objects.get(pk=update.pk).status == LetterStatus.SENT  # sent stays sent


def test_taking_them_off_a_session_is_a_letter_too(post_case, schedule, personas):
    session = schedule(post_case)
    attendee = Attendee.objects.get(session=session, participation=jan_of(post_case))
    attendee_remove(attendee=attendee, actor=personas.mediator)
    latest = Letter.objects.filter(case=post_case).first()
    assert latest.purpose == LetterPurpose.UNINVITE


def test_a_party_reached_through_their_representative_gets_nothing_directly(
    case, schedule, personas
):
    jan = jan_of(case)
    party_update(
        party=jan.party,
        actor=personas.mediator,
        case=case,
        contact_channel=ContactChannel.REPRESENTATIVE,
    )
    schedule(case)
    assert JAN not in recipients(case)
    assert not Letter.objects.filter(case=case).exists()


def test_post_without_a_postal_address_is_refused_with_a_message(case, personas):
    jan = jan_of(case)
    with pytest.raises(ValidationError) as refused:
        party_update(party=jan.party, actor=personas.mediator, case=case, contact_channel="post")
    assert "Letters by post need a postal address" in str(refused.value)
    jan.party.refresh_from_db()
    assert jan.party.contact_channel == ContactChannel.EMAIL


def test_the_participant_form_offers_the_channel_and_explains_a_refusal(client, case, personas):
    jan = jan_of(case)
    client.force_login(personas.mediator)
    url = reverse("parties:edit", args=[case.pk, jan.pk])
    page = client.get(url)
    assert b'name="contact_channel"' in page.content
    response = client.post(
        url,
        {
            "kind": "person",
            "name": "Jan de Vries",
            "email": JAN,
            "contact_channel": "post",
            "preferred_language": "nl",
        },
    )
    assert response.status_code == 200
    assert b"Letters by post need a postal address" in response.content
    jan.party.refresh_from_db()
    assert jan.party.contact_channel == ContactChannel.EMAIL


# The mediator's pages


def test_the_mediator_prints_a_letter_with_the_address_and_marks_it_sent(
    client, post_case, schedule, personas
):
    schedule(post_case)
    letter = Letter.objects.get(case=post_case)
    client.force_login(personas.mediator)

    listing = client.get(reverse("letters:list", args=[post_case.pk]))
    assert listing.status_code == 200
    assert b"Invitation to a session" in listing.content
    page = client.get(reverse("letters:detail", args=[post_case.pk, letter.pk]))
    assert page.status_code == 200
    assert b"Kerkstraat 12<br>3511 LX Utrecht" in page.content
    assert b"Dear Jan de Vries," in page.content
    assert b'lang="en"' in page.content
    # The case page and the home page list it as waiting.
    assert b"Letters to print" in client.get(reverse("cases:detail", args=[post_case.pk])).content
    home = client.get(reverse("home"))
    assert reverse("letters:detail", args=[post_case.pk, letter.pk]).encode() in home.content

    response = client.post(reverse("letters:sent", args=[post_case.pk, letter.pk]))
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.status, letter.sent_by) == (LetterStatus.SENT, personas.mediator)
    event = AuditEvent.objects.get(action=AuditAction.LETTER_SENT)
    assert event.case_id == post_case.pk and event.actor == personas.mediator
    assert "Jan" not in str(event.details)
    home = client.get(reverse("home"))
    assert reverse("letters:detail", args=[post_case.pk, letter.pk]).encode() not in home.content


def test_only_the_case_mediators_see_letters(client, post_case, schedule, personas):
    schedule(post_case)
    letter = Letter.objects.get(case=post_case)
    urls = [
        reverse("letters:list", args=[post_case.pk]),
        reverse("letters:detail", args=[post_case.pk, letter.pk]),
    ]
    for user in (personas.coordinator, personas.supervisor, personas.outsider):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("letters:sent", args=[post_case.pk, letter.pk])).status_code
        assert b"Letters to print" not in client.get(reverse("home")).content
    letter.refresh_from_db()
    assert letter.status == LetterStatus.TO_PRINT
    client.force_login(personas.comediator)
    for url in urls:
        assert client.get(url).status_code == 200


def test_a_letter_of_another_case_is_404(client, post_case, schedule, personas, refer):
    schedule(post_case)
    letter = Letter.objects.get(case=post_case)
    other = refer(title="Andere zaak")
    client.force_login(personas.mediator)
    assert client.get(reverse("letters:detail", args=[other.pk, letter.pk])).status_code == 404


def test_the_mediator_records_the_answer_given_by_letter(client, post_case, schedule, personas):
    session = schedule(post_case)
    attendee = Attendee.objects.get(session=session, participation=jan_of(post_case))
    client.force_login(personas.mediator)
    page = client.get(reverse("scheduling:detail", args=[post_case.pk, session.pk]))
    assert f'id="answer-{attendee.pk}"'.encode() in page.content
    assert b"By post: their invitation is a letter to print." in page.content

    url = reverse("scheduling:attendee_answer", args=[post_case.pk, session.pk, attendee.pk])
    response = client.post(url, {"answer": Rsvp.TENTATIVE}, follow=True)
    assert b"Their answer was recorded." in response.content
    attendee.refresh_from_db()
    assert (attendee.rsvp, attendee.responded_via) == (Rsvp.TENTATIVE, AnswerChannel.MEDIATOR)
    event = AuditEvent.objects.filter(action=AuditAction.RSVP_RECORDED).latest("id")
    assert event.actor == personas.mediator and event.details["via"] == "mediator"

    # Nonsense is refused with a message and changes nothing.
    response = client.post(url, {"answer": "maybe-later"}, follow=True)
    assert b"Choose whether they come" in response.content
    attendee.refresh_from_db()
    assert attendee.rsvp == Rsvp.TENTATIVE
    # Nobody else may record it.
    for user in (personas.coordinator, personas.supervisor, personas.outsider):
        client.force_login(user)
        assert client.post(url, {"answer": Rsvp.DECLINED}).status_code == 404


def test_destroying_the_dossier_takes_the_letters(post_case, schedule):
    schedule(post_case)
    assert case_letters_destroy(case=post_case) == 1
    assert not Letter.objects.filter(case=post_case).exists()


def test_the_letter_without_its_key_says_so(client, post_case, schedule, personas):
    schedule(post_case)
    letter = Letter.objects.get(case=post_case)
    Letter.objects.filter(pk=letter.pk).update(sealed_body=b"\x01broken" + b"0" * 40)
    client.force_login(personas.mediator)
    page = client.get(reverse("letters:detail", args=[post_case.pk, letter.pk]))
    assert page.status_code == 200
    assert b"This letter cannot be opened" in page.content


def test_a_reminder_makes_no_letter(post_case, schedule, personas, settings):
    session = schedule(post_case)
    before = Letter.objects.count()
    reminders_queue(now=session.starts_at - timedelta(hours=2))
    assert Letter.objects.count() == before


# The approval request and the survey


def test_the_approval_request_for_a_party_by_post_is_a_letter(client, drafted, personas):
    jan = by_post(drafted.case, personas.mediator)
    client.force_login(personas.mediator)
    response = client.post(
        reverse("agreements:approval_link", args=[drafted.case.pk, jan.pk]), {"action": "send"}
    )
    assert response.status_code == 302
    assert JAN not in recipients(drafted.case)
    letter = Letter.objects.get(case=drafted.case)
    assert letter.purpose == LetterPurpose.APPROVAL
    body = text_of(letter).body
    assert "Beste Jan de Vries," in body
    assert "/cases/agreement/answer/" in body  # the link, written out to type
    assert letter.answer_path.startswith(reverse("agreements:agreement", args=[drafted.case.pk]))
    event = AuditEvent.objects.get(action=AuditAction.APPROVAL_LINK_SENT)
    assert event.details["by"] == "post"


def test_closing_asks_a_party_by_post_for_the_survey_by_letter(in_sessions, personas):
    by_post(in_sessions, personas.mediator, language="en")
    case_transition(
        case=in_sessions, name="end_without_agreement", actor=personas.mediator, reason="Geen."
    )
    assert JAN not in recipients(in_sessions)
    letter = Letter.objects.get(case=in_sessions, purpose=LetterPurpose.SURVEY)
    body = text_of(letter).body
    assert "How was your mediation?" in text_of(letter).title
    assert "/survey/" in body or "/s/" in body
    invitation = SurveyInvitation.objects.get(participation=jan_of(in_sessions))
    assert invitation.sent_on is not None
    # The closed case's letter is still on the mediator's list to print.
    assert letter in letters_to_print_for(user=personas.mediator, limit=10)


def test_the_persons_export_lists_their_letters_not_their_text(post_case, schedule, personas):
    schedule(post_case, place="Buurthuis EXPORT-MARKER-51")
    export = person_export(party=jan_of(post_case).party, actor=personas.supervisor)
    assert export.person["contact_channel"] == "By post: letters the mediator prints and sends"
    [row] = export.letters
    assert row["case"] == post_case.reference
    assert (row["purpose"], row["status"], row["sent_on"]) == (
        "Invitation to a session",
        "To print",
        None,
    )
    assert "EXPORT-MARKER-51" not in str(export.as_dict())
