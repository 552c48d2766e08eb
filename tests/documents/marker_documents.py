"""Upload, download and delete documents holding a marker, through the pages, in a real
database (for leak tests).

Run as `python -m tests.documents.marker_documents MARKER` with TAFEL_VAR_DIR (SQLite) or
DATABASE_URL set; the database must be migrated. It logs at DEBUG level (SQL included), as a
careless operator might. The marker is in the file's bytes (across chunks) and in its name; a
refused file (an .exe renamed .pdf) and an oversized one carry it too.
"""

import os
import sys


def main(marker: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from cases.models import CaseKind, Declaration
    from cases.services import case_assign, conflict_declare
    from documents.models import CHUNK_BYTES, Document
    from parties.services import referral_make
    from tests.factories import UserFactory

    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in ("coordinator", "mediator", "supervisor")
    }
    coordinator = UserFactory(username="d-coordinator")
    coordinator.groups.add(groups["coordinator"])
    mediator = UserFactory(username="d-mediator")
    mediator.groups.add(groups["mediator"])
    comediator = UserFactory(username="d-comediator")
    comediator.groups.add(groups["mediator"])
    supervisor = UserFactory(username="d-supervisor")
    supervisor.groups.add(groups["supervisor"])
    case = referral_make(
        referred_by=coordinator,
        kind=CaseKind.objects.get_or_create(
            code="inter_group", defaults={"name_nl": "Tussen groepen", "name_en": "Between groups"}
        )[0],
        title="Lektest documenten",
        referring_organisation="Gemeente Utrecht",
        referral_reason="…",
        urgency="normal",
        safety_concern=False,
        parties=[{"kind": "person", "name": "Lektest Persoon"}],
    )
    case_assign(case=case, lead=mediator, co_mediators=[comediator], actor=supervisor)
    conflict_declare(case=case, mediator=mediator, declaration=Declaration.NO_CONFLICT)
    party = case.participations.first()

    # The marker in every chunk of a three-chunk PDF, and in its name.
    line = f"{marker}\n".encode()
    data = b"%PDF-1.7\n" + line * (2 * CHUNK_BYTES // len(line) + 10)
    client = Client(SERVER_NAME="localhost")
    client.force_login(mediator)
    documents = reverse("documents:list", args=[case.pk])
    form = {"kind": "signed_agreement", "participation": str(party.pk)}
    upload = client.post(documents, {**form, "file": SimpleUploadedFile(f"{marker}.pdf", data)})
    assert upload.status_code == 302, upload.status_code
    document = Document.objects.get(case=case)

    refused = client.post(
        documents, {**form, "file": SimpleUploadedFile(f"{marker}.pdf", b"MZ" + line)}
    )
    assert refused.status_code == 400, refused.status_code
    with override_settings(TAFEL_DOCUMENT_MAX_BYTES=100):
        too_large = client.post(
            documents, {**form, "file": SimpleUploadedFile(f"{marker}.pdf", b"%PDF-" + line * 9)}
        )
    assert too_large.status_code == 400, too_large.status_code
    for page in (documents, reverse("cases:detail", args=[case.pk])):
        assert client.get(page).status_code == 200

    client.force_login(comediator)
    download = client.get(reverse("documents:download", args=[case.pk, document.pk]))
    assert b"".join(download.streaming_content) == data
    assert marker in download["Content-Disposition"]

    # A second copy, deleted: deleting leaves nothing either.
    again = client.post(documents, {**form, "file": SimpleUploadedFile(f"{marker}.pdf", data)})
    assert again.status_code == 302
    second = Document.objects.filter(case=case).exclude(pk=document.pk).get()
    deleted = client.post(reverse("documents:delete", args=[case.pk, second.pk]))
    assert deleted.status_code == 302
    print("documents written")


if __name__ == "__main__":
    main(sys.argv[1])
