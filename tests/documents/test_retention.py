"""Documents are dossier records: destroyed with the dossier, listed in a person's export."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import CHUNK_BYTES, Document, DocumentChunk, DocumentKind
from documents.services import document_upload
from dossier.services import destruction_approve, destruction_execute, destruction_propose
from dossier.subjects import person_export
from tests.documents import helpers
from tests.documents.helpers import MARKER
from tests.dossier.conftest import close

pytestmark = pytest.mark.django_db


def upload(case, actor, data, name, participation=None):
    return document_upload(
        case=case,
        upload=SimpleUploadedFile(name, data),
        kind=DocumentKind.SIGNED_AGREEMENT,
        participation=participation,
        actor=actor,
    )


def test_carrying_out_the_destruction_list_removes_every_document_and_chunk(
    clock,
    in_follow_up,
    personas,
):
    # Added while the case ran: a closed case takes no new documents.
    party = in_follow_up.participations.first()
    upload(in_follow_up, personas.mediator, helpers.pdf(size=CHUNK_BYTES + 1), "scan.pdf", party)
    upload(in_follow_up, personas.mediator, helpers.png(), "foto.png")
    close(in_follow_up, personas.mediator)
    clock.years_and_days(5, days=1)

    proposal = destruction_propose(actor=None)
    destruction_approve(proposal=proposal, actor=personas.supervisor)
    destruction_execute(proposal=proposal, actor=personas.supervisor)

    assert not Document.objects.exists() and not DocumentChunk.objects.exists()


def test_the_persons_export_lists_their_documents_by_kind_and_date_not_content(
    clock,
    in_follow_up,
    personas,
):
    party = in_follow_up.participations.get(party__name="Jan de Vries")
    upload(in_follow_up, personas.mediator, helpers.pdf(MARKER), f"{MARKER}.pdf", party)
    upload(in_follow_up, personas.mediator, helpers.pdf(), "ander.pdf")  # about nobody
    closed = close(in_follow_up, personas.mediator)

    export = person_export(party=party.party, actor=personas.supervisor)

    assert export.documents == [
        {
            "case": closed.reference,
            "kind": "Signed mediation agreement",
            "added_on": "2026-12-01",
        }
    ]
    assert MARKER not in json.dumps(export.as_dict())
