"""A mediator uploads while another closes the case, on PostgreSQL: the upload waits for the
closing and is refused, so a closed case never takes a document."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import translation

from cases.models import CaseStatus
from cases.services import case_transition
from documents.models import Document, DocumentChunk, DocumentKind
from documents.services import document_upload
from tests.cases.agreement_helpers import review_all
from tests.documents import helpers

pytestmark = pytest.mark.postgresql


@pytest.mark.django_db(transaction=True)
def test_an_upload_while_the_case_closes_waits_for_the_closing_and_is_refused(
    in_follow_up, personas
):
    case = in_follow_up  # loaded while it ran: the upload's own copy says "follow-up"
    review_all(case, personas.mediator)
    closing_holds_the_row = threading.Event()
    results: dict[str, object] = {}

    def close_slowly() -> None:
        translation.activate("en")
        try:
            with transaction.atomic():
                case_transition(
                    case=case,
                    name="close",
                    actor=personas.mediator,
                    reason="Afgerond.",
                    outcome="full_agreement",
                )
                closing_holds_the_row.set()
                time.sleep(1)  # not committed yet: the upload reaches the row lock meanwhile
        finally:
            connection.close()

    def upload() -> None:
        translation.activate("en")
        try:
            closing_holds_the_row.wait(timeout=30)
            results["upload"] = document_upload(
                case=case,
                upload=SimpleUploadedFile("scan.pdf", helpers.pdf()),
                kind=DocumentKind.SIGNED_AGREEMENT,
                participation=None,
                actor=personas.comediator,
            )
        except Exception as exc:  # collected for the test to inspect
            results["upload"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=close_slowly), threading.Thread(target=upload)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert case.status != CaseStatus.CLOSED, "the upload was handed the stale copy"
    refusal = results["upload"]
    assert isinstance(refusal, ValidationError), refusal
    assert "The case is closed" in refusal.messages[0]
    assert not Document.objects.exists() and not DocumentChunk.objects.exists()
