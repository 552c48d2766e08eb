"""Letters by post in a real browser (issue 22, point 2): the mediator sets a party to post,
the invitation becomes a letter to print on the home page and the case, prints on A4 without
the site around it, is marked sent, and the party's answer by letter is recorded on the
session. axe in Dutch and English at 1280 and 320 px."""

import pytest
from playwright.sync_api import expect

from cases.models import Case
from letters.models import Letter, LetterStatus
from parties.models import ContactChannel, Party
from scheduling.models import AnswerChannel, Attendee, Rsvp
from tests.cases.agreement_helpers import drafted, in_agreement  # noqa: F401 - fixtures
from tests.scheduling.conftest import case, schedule  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "nl": {
        "save": "Gegevens opslaan",
        "letters": "Brieven om te printen",
        "greeting": "Beste Jan de Vries,",
        "sent": "Ik heb hem geprint en verstuurd: markeer als verstuurd",
        "marked": "De brief is gemarkeerd als verstuurd.",
        "record": "Antwoord vastleggen",
        "recorded": "Het antwoord is vastgelegd.",
    },
    "en": {
        "save": "Save the details",
        "letters": "Letters to print",
        "greeting": "Dear Jan de Vries,",
        "sent": "I printed and posted it: mark as sent",
        "marked": "The letter is marked as sent.",
        "record": "Record the answer",
        "recorded": "Their answer was recorded.",
    },
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_party_by_post_gets_a_letter_to_print_and_their_answer_is_recorded(
    browser, live_server, personas, request, log_in, check_reflow, lang
):
    # The scheduling tests' case: Jan and Fatima (both signed) and an interpreter.
    mediation, plan = request.getfixturevalue("case"), request.getfixturevalue("schedule")
    words = TEXT[lang]
    base = live_server.url
    jan = mediation.participations.get(party__name="Jan de Vries")
    Party.objects.filter(pk=jan.party_id).update(preferred_language=lang)
    page = browser.new_context(locale=lang).new_page()
    log_in(page, base, "mediator")

    # The mediator asks for post: the form needs the address for it.
    page.goto(f"{base}/cases/{mediation.pk}/participants/{jan.pk}/edit/")
    page.locator("#id_postal_address").fill("Kerkstraat 12\n3511 LX Utrecht")
    page.locator(f"input[name=contact_channel][value={ContactChannel.POST}]").check()
    check_reflow(page, f"letters-party-{lang}")
    with page.expect_navigation():
        page.get_by_role("button", name=words["save"]).click()
    assert Party.objects.get(pk=jan.party_id).contact_channel == ContactChannel.POST

    session = plan(mediation, step_free_access=True)
    letter = Letter.objects.get(case=mediation)

    # The home page lists it; the letter opens in the party's language.
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name=words["letters"])).to_be_visible()
    with page.expect_navigation():
        page.locator(f"a[href='/cases/{mediation.pk}/letters/{letter.pk}/']").click()
    letter_box = page.locator("article.letter")
    expect(letter_box).to_contain_text(words["greeting"])
    expect(letter_box).to_contain_text("Kerkstraat 12")
    expect(letter_box).to_contain_text("Stadhuis Utrecht, kamer 2.14")
    check_reflow(page, f"letters-letter-{lang}")
    # Printed, the page is the letter alone.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".breadcrumbs")).to_be_hidden()
    expect(page.get_by_role("button", name=words["sent"])).to_be_hidden()
    expect(letter_box).to_be_visible()
    page.emulate_media(media="screen")

    with page.expect_navigation():
        page.get_by_role("button", name=words["sent"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["marked"])
    check_reflow(page, f"letters-list-{lang}")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT

    # Jan calls back: he may come. The mediator records it on the session.
    attendee = Attendee.objects.get(session=session, participation=jan)
    page.goto(f"{base}/cases/{mediation.pk}/sessions/{session.pk}/#answer-{attendee.pk}")
    form = page.locator(f"#answer-{attendee.pk}")
    form.locator("select").select_option(Rsvp.TENTATIVE)
    with page.expect_navigation():
        form.get_by_role("button", name=words["record"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["recorded"])
    check_reflow(page, f"letters-session-{lang}")
    attendee.refresh_from_db()
    assert (attendee.rsvp, attendee.responded_via) == (Rsvp.TENTATIVE, AnswerChannel.MEDIATOR)

    # The case page shows the panel, now without letters waiting.
    page.goto(f"{base}/cases/{mediation.pk}/")
    expect(page.locator("#letters-heading")).to_be_visible()
    check_reflow(page, f"letters-case-{lang}")


AGREEMENT = {
    "nl": {
        "make": "Maak de overeenkomst om te tekenen",
        "made": "De overeenkomst om te tekenen is gemaakt.",
        "title": "Vaststellingsovereenkomst",
        "version": "Gemaakt met versie 1 van het sjabloon",
        "closing": "Maak de afsluitbrief",
    },
    "en": {
        "make": "Make the agreement to sign",
        "made": "The agreement to sign was made.",
        "title": "Settlement agreement",
        "version": "Made from version 1 of the template",
        "closing": "Make the closing letter",
    },
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_agreement_to_sign_and_a_closing_letter_come_from_the_templates(
    browser, live_server, personas, request, log_in, check_reflow, lang
):
    words = AGREEMENT[lang]
    agreement = request.getfixturevalue("drafted")
    base = live_server.url
    page = browser.new_context(locale=lang).new_page()
    log_in(page, base, "mediator")

    page.goto(f"{base}/cases/{agreement.case.pk}/agreement/")
    page.locator("#document-language").select_option(lang)
    check_reflow(page, f"letters-agreement-page-{lang}")
    with page.expect_navigation():
        page.get_by_role("button", name=words["make"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["made"])
    expect(page.locator("article.letter")).to_contain_text(words["title"])
    expect(page.locator(".letter-version")).to_contain_text(words["version"])
    check_reflow(page, f"letters-agreement-document-{lang}")

    # Closed: the letters page offers a closing letter for any participant.
    Case.objects.filter(pk=agreement.case.pk).update(status="closed", outcome="no_agreement")
    page.goto(f"{base}/cases/{agreement.case.pk}/letters/")
    check_reflow(page, f"letters-closing-form-{lang}")
    with page.expect_navigation():
        page.get_by_role("button", name=words["closing"]).click()
    expect(page.locator("article.letter")).to_be_visible()
    check_reflow(page, f"letters-closing-letter-{lang}")
