"""Documents on a case in a real browser (issue 22): the mediator uploads a scanned mediation
agreement for a party and the consent page links it; another mediator of the case downloads
it; the coordinator, the supervisor and an outsider get 404; the trail shows the upload and
the download. A file renamed .pdf is refused with a message. axe in Dutch and English at 1280
and 320 px."""

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseStatus
from documents.models import Document

pytestmark = pytest.mark.django_db(transaction=True)

SCAN = b"%PDF-1.7\n% Getekende mediationovereenkomst Jan de Vries\n%%EOF\n"
TEXT = {
    "nl": {
        "documents": "Documenten",
        "add": "Document toevoegen",
        "added": "Het document is aan de zaak toegevoegd.",
        "refused": "Tafel kijkt naar wat het bestand bevat, niet naar de naam.",
        "delete": "Dit document verwijderen?",
        "uploaded": "Document toegevoegd",
        "downloaded": "Document gedownload",
        "closed": "De zaak is afgesloten: er kunnen geen documenten meer bij of af.",
    },
    "en": {
        "documents": "Documents",
        "add": "Add the document",
        "added": "The document was added to the case.",
        "refused": "Tafel checks what the file contains, not its name.",
        "delete": "Delete this document?",
        "uploaded": "Document uploaded",
        "downloaded": "Document downloaded",
        "closed": "The case is closed: documents can no longer be added or deleted.",
    },
}


def upload(page, party_id: int, name: str, data: bytes, words) -> None:
    page.locator("#id_kind").select_option("signed_agreement")
    page.locator("#id_participation").select_option(str(party_id))
    page.locator("#id_file").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": data}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name=words["add"]).click()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_scanned_agreement_is_uploaded_linked_downloaded_and_kept_from_others(
    browser, live_server, personas, assigned, log_in, check_reflow, lang
):
    words = TEXT[lang]
    base = live_server.url
    party = assigned.participations.get(party__name="Jan de Vries")
    page = browser.new_context(locale=lang).new_page()
    log_in(page, base, "mediator")

    page.goto(f"{base}/cases/{assigned.pk}/documents/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["documents"])
    check_reflow(page, f"documents-empty-{lang}")

    # An executable renamed .pdf is refused, with the reason, and nothing is stored.
    upload(page, party.pk, "overeenkomst.pdf", b"MZ\x90\x00" + b"\x00" * 64, words)
    expect(page.locator(".form-errors")).to_contain_text(words["refused"])
    assert not Document.objects.exists()
    check_reflow(page, f"documents-refused-{lang}")

    upload(page, party.pk, "Handtekening Jan de Vries.pdf", SCAN, words)
    expect(page.get_by_text(words["added"])).to_be_visible()
    scan_link = page.get_by_role("link", name="Handtekening Jan de Vries.pdf", exact=True)
    expect(scan_link).to_be_visible()
    check_reflow(page, f"documents-list-{lang}")
    document = Document.objects.get()
    download_path = f"/cases/{assigned.pk}/documents/{document.pk}/download/"

    page.goto(f"{base}/cases/{assigned.pk}/documents/{document.pk}/delete/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["delete"])
    check_reflow(page, f"documents-delete-{lang}")

    # Another mediator of the case finds it on the party's consent page and downloads it.
    other = browser.new_context(locale=lang).new_page()
    log_in(other, base, "comediator")
    other.goto(f"{base}/cases/{assigned.pk}/participants/{party.pk}/consent/")
    link = other.locator(f'a[href="{download_path}"]')
    expect(link).to_have_count(1)
    check_reflow(other, f"documents-consent-{lang}")
    with other.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "Handtekening Jan de Vries.pdf"
    with open(download.path(), "rb") as file:
        assert file.read() == SCAN

    for username in ("coordinator", "supervisor", "outsider"):
        stranger = browser.new_context(locale=lang).new_page()
        log_in(stranger, base, username)
        for path in (f"/cases/{assigned.pk}/documents/", download_path):
            response = stranger.goto(f"{base}{path}")
            assert response.status == 404, (username, path)
        stranger.context.close()

    other.goto(f"{base}/cases/{assigned.pk}/trail/")
    expect(other.get_by_text(words["uploaded"]).first).to_be_visible()
    expect(other.get_by_text(words["downloaded"]).first).to_be_visible()

    # Once the case is closed, the page only lists and downloads.
    Case.objects.filter(pk=assigned.pk).update(status=CaseStatus.CLOSED)
    page.goto(f"{base}/cases/{assigned.pk}/documents/")
    expect(page.get_by_text(words["closed"])).to_be_visible()
    expect(page.locator("#id_file")).to_have_count(0)
    expect(page.locator(f'a[href="{download_path}"]')).to_have_count(1)
    check_reflow(page, f"documents-closed-{lang}")
