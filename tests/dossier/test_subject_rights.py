"""A person's rights over their data: the export (art. 15), erasure or its refusal (art. 17),
and the register of processing (art. 30)."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import NoteKind
from cases.services import note_write
from documents.models import Document, DocumentChunk, DocumentKind
from documents.services import document_upload
from dossier.models import RequestDecision, SubjectRequest
from dossier.subjects import (
    people_find,
    person_erase,
    person_erasure_refuse,
    person_export,
)
from letters.models import Letter, LetterPurpose
from letters.services import letter_queue
from mediation.models import OutboxMessage
from parties.models import Party, PortalLink
from parties.services import participant_add, participation_add
from surveys.models import SurveyInvitation
from surveys.services import SurveyAnswers, survey_answer, survey_token
from tests.dossier.conftest import close
from tests.dossier.test_retention import _in_sessions

pytestmark = pytest.mark.django_db

OTHER = "ANDERMERK4Z"
MARKER = "JANMERK7Q"


@pytest.fixture
def two_cases(closed, refer, personas):
    """Jan de Vries, a party in a closed case, supports someone in a running one, where a
    marked neighbour and a marked note are beside him."""
    jan = closed.participations.get(party__name="Jan de Vries").party
    running = _in_sessions(
        refer,
        personas,
        parties=[{"kind": "person", "name": "Piet"}, {"kind": "group", "name": "Buurtraad"}],
    )
    participation_add(case=running, party=jan, role="support", actor=personas.mediator)
    participant_add(
        case=running,
        role="party",
        actor=personas.mediator,
        party_fields={
            "kind": "person",
            "name": f"Buurvrouw {OTHER}",
            "email": f"{OTHER.lower()}@example.nl",
        },
    )
    note_write(
        case=running,
        author=personas.mediator,
        kind=NoteKind.DOSSIER,
        title="Verslag",
        body=f"Gesprek met {OTHER}",
    )
    return closed, running, jan


def test_the_export_holds_the_persons_data_from_both_cases_and_nobody_elses(two_cases, personas):
    closed, running, jan = two_cases

    text = json.dumps(person_export(party=jan, actor=personas.supervisor).as_dict())

    assert closed.reference in text and running.reference in text
    assert "jan.devries@example.nl" in text
    assert OTHER not in text and OTHER.lower() not in text
    assert "Gemeente Utrecht, afdeling Wonen" not in text, "the other party"
    assert personas.mediator.get_full_name() not in text
    assert "Dossierstuk" not in text and "Werkaantekening" not in text, "no notes"
    assert "Piet" not in text, "not whom he supports either"


def test_the_export_says_whether_the_person_answered_the_survey_not_what(two_cases, personas):
    closed, _running, jan = two_cases
    invitation = SurveyInvitation.objects.get(participation__party=jan)
    survey_answer(
        token=survey_token(invitation),
        answers=SurveyAnswers("no", "partly", "no", "no", comment="ENQUETEMERK"),
    )

    export = person_export(party=jan, actor=personas.supervisor)

    assert export.surveys == [
        {"case": closed.reference, "sent_on": str(invitation.sent_on), "answered": True}
    ]
    assert "ENQUETEMERK" not in json.dumps(export.as_dict())


def test_the_json_download_records_the_answered_request(client, two_cases, personas):
    party = two_cases[2]
    client.force_login(personas.supervisor)

    response = client.get(reverse("dossier:person_export_json", args=[party.pk]))

    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["person"]["name"] == "Jan de Vries"
    assert SubjectRequest.objects.get().decision == RequestDecision.DONE
    assert AuditEvent.objects.filter(action="subject.access_exported").exists()


def test_people_are_found_by_exact_email_or_part_of_the_name(two_cases):
    assert {p.name for p in people_find(query="JAN.devries@example.nl")} == {"Jan de Vries"}
    assert {p.name for p in people_find(query="vries")} == {"Jan de Vries"}
    assert list(people_find(query="j")) == []


def test_erasure_leaves_the_person_unreadable_everywhere_and_the_chain_verifiable(
    client, closed, personas
):
    party = closed.participations.get(party__name="Jan de Vries").party
    assert OutboxMessage.objects.filter(case_id=closed.pk).exists()
    link = PortalLink.objects.create(
        participation=closed.participations.get(party=party),
        nonce="n",
        expires_at=timezone.now() + timedelta(days=1),
    )

    person_erase(party=party, actor=personas.supervisor, explanation="Verzoek per brief.")

    link.refresh_from_db()
    assert link.revoked_at is not None, "their personal page stops"

    party = Party.objects.select_related("key").get(pk=party.pk)
    assert party.name == f"Erased person {party.pk}"
    assert not OutboxMessage.objects.filter(case_id=closed.pk).exists(), "emails naming them"
    assert party.key.wrapped is None
    assert party.email == "" and party.contact.email == ""
    client.force_login(personas.mediator)
    page = client.get(reverse("cases:detail", args=[closed.pk])).content.decode()
    assert "Jan de Vries" not in page
    assert AuditEvent.objects.filter(action="subject.erased").exists()
    call_command("verify_audit")


def test_erasure_waits_for_a_running_case(two_cases, personas):
    jan = two_cases[2]

    with pytest.raises(ValidationError, match="still running"):
        person_erase(party=jan, actor=personas.supervisor)

    jan.refresh_from_db()
    assert jan.name == "Jan de Vries"


def test_a_refusal_records_its_exception(client, closed, personas):
    party = closed.participations.get(party__name="Jan de Vries").party
    client.force_login(personas.supervisor)
    url = reverse("dossier:person_erase", args=[party.pk])

    missing = client.post(url, {"decision": "refuse"})
    assert missing.status_code == 400
    client.post(url, {"decision": "refuse", "exception": "legal_retention", "explanation": "BW"})

    request = SubjectRequest.objects.get()
    assert (request.decision, request.exception) == ("refused", "legal_retention")
    event = AuditEvent.objects.get(action="subject.erasure_refused")
    assert event.details == {"exception": "legal_retention"}
    party.refresh_from_db()
    assert party.name == "Jan de Vries"


def test_a_refusal_needs_a_known_exception(closed, personas):
    party = closed.participations.first().party
    with pytest.raises(ValidationError):
        person_erasure_refuse(party=party, actor=personas.supervisor, exception="", explanation="")


def test_the_register_of_processing_is_a_page_and_a_download(client, personas):
    client.force_login(personas.supervisor)

    page = client.get(reverse("dossier:register")).content.decode()
    csv = client.get(reverse("dossier:register_csv")).content.decode()

    assert "Working notes" in page and "30 days after the case closes." in page
    assert csv.splitlines()[0] == "processing,purpose,persons,data,retention,protection"
    assert "Audit trail" in csv
    assert "Letters by post" in page and "Letters by post" in csv
    assert "those addressed to a person are deleted when the person is erased" in csv


def test_the_people_pages_are_for_supervisors_only(client, closed, personas):
    party = closed.participations.first().party
    urls = [
        reverse("dossier:people"),
        reverse("dossier:person", args=[party.pk]),
        reverse("dossier:person_export", args=[party.pk]),
        reverse("dossier:person_export_json", args=[party.pk]),
        reverse("dossier:person_erase", args=[party.pk]),
        reverse("dossier:register"),
    ]
    for persona in (personas.mediator, personas.coordinator, personas.outsider):
        client.force_login(persona)
        assert {client.get(url).status_code for url in urls} == {403}
    client.force_login(personas.supervisor)
    assert {client.get(url).status_code for url in urls} == {200}


@pytest.fixture
def filed(clock, in_follow_up, personas):
    """Jan de Vries's closed case, with a document and a letter for him and for the other party
    each, and a document about nobody, all added while it ran."""
    case = in_follow_up
    jan = case.participations.get(party__name="Jan de Vries")
    other = case.participations.get(party__name="Gemeente Utrecht, afdeling Wonen")
    for participation, marker in ((jan, MARKER), (other, OTHER)):
        document_upload(
            case=case,
            upload=SimpleUploadedFile(f"Getekend {marker}.pdf", f"%PDF-1.7 {marker}".encode()),
            kind=DocumentKind.SIGNED_AGREEMENT,
            participation=participation,
            actor=personas.mediator,
        )
        letter_queue(
            participation=participation,
            purpose=LetterPurpose.APPROVAL,
            title=f"Aan {marker}",
            body=f"Beste {marker}, Dorpsstraat 1",
        )
    document_upload(
        case=case,
        upload=SimpleUploadedFile("verslag.pdf", b"%PDF-1.7 verslag"),
        kind=DocumentKind.REPORT,
        participation=None,
        actor=personas.mediator,
    )
    return close(case, personas.mediator), jan, other


def test_erasure_deletes_the_documents_and_letters_about_the_person_and_no_others(
    client, filed, personas
):
    case, jan, other = filed
    others_documents = set(Document.objects.exclude(participation=jan).values_list("pk", flat=True))
    others_letters = set(Letter.objects.exclude(participation=jan).values_list("pk", flat=True))
    jan_documents = list(Document.objects.filter(participation=jan).values_list("pk", flat=True))
    jan_letters = Letter.objects.filter(participation=jan).count()
    assert len(jan_documents) == 1 and jan_letters >= 1
    assert len(others_documents) == 2 and Letter.objects.filter(participation=other).exists()

    person_erase(party=jan.party, actor=personas.supervisor)

    assert not Document.objects.filter(participation__party=jan.party).exists()
    assert not DocumentChunk.objects.filter(document_id__in=jan_documents).exists()
    assert not Letter.objects.filter(participation__party=jan.party).exists()
    assert set(Document.objects.values_list("pk", flat=True)) == others_documents
    assert set(Letter.objects.values_list("pk", flat=True)) == others_letters
    assert DocumentChunk.objects.count() == 2, "the other documents keep their bytes"
    event = AuditEvent.objects.get(action="subject.erased")
    assert event.details == {"documents_deleted": 1, "letters_deleted": jan_letters}
    assert MARKER not in json.dumps(event.details)
    call_command("verify_audit")
    client.force_login(personas.supervisor)
    trail = client.get(reverse("audit:trail")).content.decode()
    assert "documents deleted" in trail and "letters deleted" in trail
    client.force_login(personas.mediator)
    documents = client.get(reverse("documents:list", args=[case.pk])).content.decode()
    assert f"Getekend {OTHER}.pdf" in documents and MARKER not in documents


def test_a_failed_erasure_deletes_no_document_or_letter(filed, refer, personas):
    _case, jan, _other = filed
    running = _in_sessions(refer, personas)  # the person takes part in it: erasure must wait
    participation_add(case=running, party=jan.party, role="support", actor=personas.mediator)
    documents, letters = Document.objects.count(), Letter.objects.count()

    with pytest.raises(ValidationError, match="still running"):
        person_erase(party=jan.party, actor=personas.supervisor)

    assert (Document.objects.count(), Letter.objects.count()) == (documents, letters)


def test_the_erasure_page_says_documents_and_letters_go(client, closed, personas):
    party = closed.participations.get(party__name="Jan de Vries").party
    client.force_login(personas.supervisor)

    page = client.get(reverse("dossier:person_erase", args=[party.pk])).content.decode()

    assert "deletes the documents linked to them" in page
    assert "the letters addressed to them" in page
    assert "<dt>Documents linked to the person</dt><dd>0</dd>" in page


def test_the_erasure_page_counts_what_would_go(client, filed, personas):
    _case, jan, _other = filed
    letters = Letter.objects.filter(participation=jan).count()
    client.force_login(personas.supervisor)

    page = client.get(reverse("dossier:person_erase", args=[jan.party_id])).content.decode()

    assert "<dt>Documents linked to the person</dt><dd>1</dd>" in page
    assert f"<dt>Letters addressed to the person</dt><dd>{letters}</dd>" in page
    assert MARKER not in page
