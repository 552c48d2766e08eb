"""The personal page in a real browser (issue 20), as two parties of the same case: each sees
its own sessions and answer and not the other's details; an answer changed on the page shows on
the mediator's session page; a corrected phone number shows to the mediator and is sealed in
the database; a stopped link explains itself. axe on every page in Dutch and English, at 1280
and 320 px."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.translation import override
from playwright.sync_api import expect

from mediation.models import OutboxMessage
from mediation.outbox import outbox_open
from parties.models import Participation, Party, PortalLink
from parties.portal import portal_link_make, portal_link_revoke, portal_url
from parties.services import consent_record, participant_add
from scheduling.models import AnswerChannel, Rsvp
from scheduling.services import session_schedule
from tests.cases.agreement_helpers import draft, to_agreement

pytestmark = pytest.mark.django_db(transaction=True)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PHONE = "06-1234 5678"
TEXT = {
    "nl": {
        "hello": "Hallo",
        "not_answered": "U hebt nog niet geantwoord. Komt u?",
        "may_come": "Ik kom misschien",
        "saved": "Dank u wel: uw antwoord is opgeslagen.",
        "answer": "Uw antwoord: ik kom misschien.",
        "details": "Mijn gegevens",
        "phone": "Telefoonnummer",
        "save": "Mijn gegevens opslaan",
        "details_saved": "Dank u wel: uw gegevens zijn opgeslagen.",
        "agreement": "De overeenkomst",
        "no_agreement": "Er is nog geen overeenkomst.",
        "stopped": "Deze link werkt niet meer",
    },
    "en": {
        "hello": "Hello",
        "not_answered": "You have not answered yet. Will you come?",
        "may_come": "I may come",
        "saved": "Thank you: your answer was saved.",
        "answer": "Your answer: I may come.",
        "details": "My details",
        "phone": "Phone number",
        "save": "Save my details",
        "details_saved": "Thank you: your details were saved.",
        "agreement": "The agreement",
        "no_agreement": "There is no agreement yet.",
        "stopped": "This link no longer works",
    },
}


@pytest.fixture
def two_parties(in_sessions, personas):
    """Jan (Dutch) and Fatima (English), both signed, invited to a joint session."""
    participant_add(
        case=in_sessions,
        role="party",
        actor=personas.mediator,
        party_fields={
            "kind": "person",
            "name": "Fatima el Amrani",
            "email": "fatima@voorbeeld.nl",
            "phone": "020-7654321",
            "preferred_language": "en",
        },
    )
    for participation in in_sessions.participations.filter(consent_signed_on__isnull=True):
        consent_record(
            participation=participation,
            signed_on=timezone.localdate(),
            signed_by=participation.party.name,
            actor=personas.mediator,
        )
    parties = list(in_sessions.participations.filter(role="party").order_by("id"))
    start = datetime(timezone.localdate().year + 1, 3, 10, 14, tzinfo=AMSTERDAM)
    session = session_schedule(
        case=in_sessions,
        kind="joint",
        starts_at=start,
        ends_at=start.replace(hour=16),
        actor=personas.mediator,
        place="Buurthuis De Pijl, Utrecht",
        step_free_access=True,
        participations=parties,
    )
    jan = Participation.objects.get(case=in_sessions, party__name="Jan de Vries")
    fatima = Participation.objects.get(case=in_sessions, party__name="Fatima el Amrani")
    return in_sessions, session, jan, fatima


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_two_parties_each_use_their_own_page(
    browser, live_server, settings, personas, two_parties, log_in, check_reflow, lang
):
    settings.TAFEL_BASE_URL = live_server.url
    case, session, jan, fatima = two_parties
    Party.objects.filter(pk=jan.party_id).update(preferred_language=lang)
    words = TEXT[lang]
    jan_url = portal_url(portal_link_make(participation=jan, actor=personas.mediator))
    fatima_url = portal_url(portal_link_make(participation=fatima, actor=personas.mediator))

    # Jan's page: his session, not answered yet; nothing of Fatima's.
    page = browser.new_context().new_page()
    page.goto(jan_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["hello"])
    main = page.locator("main")
    expect(main).to_contain_text("Buurthuis De Pijl, Utrecht")
    expect(main).to_contain_text(words["not_answered"])
    expect(main).not_to_contain_text("Fatima")
    expect(main).not_to_contain_text("020-7654321")
    check_reflow(page, f"portal-home-{lang}")

    with page.expect_navigation():
        page.get_by_role("button", name=words["may_come"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["saved"])
    expect(main).to_contain_text(words["answer"])
    check_reflow(page, f"portal-answered-{lang}")

    with page.expect_navigation():
        page.get_by_role("link", name=words["agreement"], exact=True).first.click()
    expect(main).to_contain_text(words["no_agreement"])
    check_reflow(page, f"portal-agreement-{lang}")

    with page.expect_navigation():
        page.get_by_role("link", name=words["details"], exact=True).first.click()
    page.get_by_label(words["phone"]).fill(PHONE)
    with page.expect_navigation():
        page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["details_saved"])
    check_reflow(page, f"portal-details-{lang}")
    page.context.close()

    # Fatima's page (English): her own session and no answer, nothing of Jan's.
    page = browser.new_context().new_page()
    page.goto(fatima_url)
    main = page.locator("main")
    expect(main).to_contain_text(TEXT["en"]["not_answered"])
    expect(main).not_to_contain_text("Jan de Vries")
    expect(main).not_to_contain_text(PHONE)
    page.context.close()

    # The mediator sees Jan's answer and his new phone number; sealed in the database.
    party = Party.objects.get(pk=jan.party_id)
    assert PHONE.encode() not in bytes(party.sealed_contact)
    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "mediator")
    page.goto(f"{live_server.url}/cases/{case.pk}/sessions/{session.pk}/")
    expect(page.locator("main")).to_contain_text("Jan de Vries")
    with override(lang):
        tentative, channel = str(Rsvp.TENTATIVE.label), str(AnswerChannel.PORTAL.label)
    expect(page.locator("main")).to_contain_text(tentative)
    expect(page.locator("main")).to_contain_text(channel)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.locator("main")).to_contain_text(PHONE)
    page.goto(f"{live_server.url}/cases/{case.pk}/participants/{jan.pk}/personal-page/")
    check_reflow(page, f"portal-mediator-{lang}")
    page.context.close()

    # A stopped link says so, and nothing more.
    portal_link_revoke(participation=jan, actor=personas.mediator)
    page = browser.new_context().new_page()
    page.goto(jan_url)
    expect(page.get_by_role("alert")).to_contain_text(words["stopped"])
    expect(page.locator("main")).not_to_contain_text("Buurthuis")
    check_reflow(page, f"portal-stopped-{lang}")
    page.context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_agreement_and_the_code_step_are_accessible(
    browser, live_server, settings, personas, two_parties, check_reflow, lang
):
    settings.TAFEL_BASE_URL = live_server.url
    case, _session, jan, _fatima = two_parties
    Party.objects.filter(pk=jan.party_id).update(preferred_language=lang)
    to_agreement(case)
    draft(case, personas.mediator, text="De partijen spreken elke maand af in het buurthuis.")
    link = portal_link_make(participation=jan, actor=personas.mediator)
    url = portal_url(link)
    words = {
        "nl": ("Versie 1", "De overeenkomst goedkeuren of afwijzen"),
        "en": ("version 1", "Approve or decline the agreement"),
    }[lang]

    page = browser.new_context().new_page()
    page.goto(url + "agreement/")
    expect(page.locator("main")).to_contain_text("elke maand af in het buurthuis")
    expect(page.get_by_role("link", name=words[1])).to_be_visible()
    check_reflow(page, f"portal-agreement-text-{lang}")

    PortalLink.objects.filter(pk=link.pk).update(code_required=True)
    page.goto(url)
    expect(page).to_have_url(url + "code/")
    check_reflow(page, f"portal-code-{lang}")
    with page.expect_navigation():
        page.locator("form button[value=send]").click()
    sent = outbox_open(OutboxMessage.objects.filter(purpose="portal_code").latest("id"))
    right = sent.subject.rsplit(" ", 1)[-1]
    page.locator("input[name=code]").fill("000000" if right != "000000" else "111111")
    with page.expect_navigation():
        page.locator("form button[value=check]").click()
    expect(page.locator(".form-errors")).to_be_visible()
    check_reflow(page, f"portal-code-wrong-{lang}")
    page.locator("input[name=code]").fill(right)
    with page.expect_navigation():
        page.locator("form button[value=check]").click()
    expect(page).to_have_url(url)
    page.context.close()
