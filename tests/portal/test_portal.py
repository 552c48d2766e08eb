"""Each participant's personal page (issue 20): the link, what the page shows and hides,
answers and details changed there, and links that do not work."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from mediation.models import OutboxMessage
from mediation.outbox import outbox_open
from parties.models import Participation, Party, PortalLink
from parties.portal import PORTAL_SALT, portal_link_make, portal_link_revoke, portal_token
from parties.services import participant_add
from scheduling.invites import invite_email
from scheduling.models import Attendee
from tests.scheduling.conftest import FATIMA, JAN

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PHONE = "06-PORTAL-4242"


def participant(case, name) -> Participation:
    return Participation.objects.select_related("party").get(
        case=case, party__name__startswith=name, removed_at__isnull=True
    )


def page_of(participation, personas, page="home") -> str:
    link = portal_link_make(participation=participation, actor=personas.mediator)
    return reverse(f"portal:{page}", args=[portal_token(link)])


@pytest.fixture
def planned(case, schedule):
    return schedule(case)


def test_each_party_sees_its_own_sessions_and_answer_and_not_the_others_details(
    client,
    case,
    planned,
    personas,
):
    jan, fatima = participant(case, "Jan"), participant(case, "Fatima")
    Attendee.objects.filter(session=planned, participation=fatima).update(rsvp="declined")

    jan_page = client.get(page_of(jan, personas), **EN).content.decode()
    fatima_page = client.get(page_of(fatima, personas), **EN).content.decode()

    assert "Stadhuis Utrecht, kamer 2.14" in jan_page
    assert "U hebt nog niet geantwoord." in jan_page, "Jan prefers Dutch"
    assert "Your answer: I cannot come." in fatima_page
    assert FATIMA not in jan_page and JAN not in fatima_page
    assert "Fatima" not in jan_page, "no other participant's name"
    assert "Jan de Vries" not in fatima_page


def test_an_answer_changed_on_the_page_is_the_answer_the_mediator_sees(
    client,
    case,
    planned,
    personas,
):
    jan = participant(case, "Jan")
    home = page_of(jan, personas)
    token = home.rstrip("/").rsplit("/", 1)[-1]
    attendee = Attendee.objects.get(session=planned, participation=jan)

    response = client.post(
        reverse("portal:answer", args=[token, attendee.pk]), {"answer": "tentative"}, **EN
    )

    assert response.status_code == 302
    attendee.refresh_from_db()
    assert (attendee.rsvp, attendee.responded_via) == ("tentative", "portal")
    client.force_login(personas.mediator)
    session_page = client.get(reverse("scheduling:detail", args=[case.pk, planned.pk]), **EN)
    assert "their personal page" in session_page.content.decode()


def test_a_party_cannot_answer_for_someone_else(client, case, planned, personas):
    jan, fatima = participant(case, "Jan"), participant(case, "Fatima")
    token = page_of(jan, personas).rstrip("/").rsplit("/", 1)[-1]
    hers = Attendee.objects.get(session=planned, participation=fatima)

    client.post(reverse("portal:answer", args=[token, hers.pk]), {"answer": "declined"}, **EN)

    hers.refresh_from_db()
    assert hers.rsvp != "declined"


def test_corrected_details_are_sealed_shown_to_the_mediator_and_audited(
    client,
    case,
    personas,
):
    jan = participant(case, "Jan")
    url = page_of(jan, personas, "details")
    form = client.get(url, **EN).context["form"]
    data = {**{k: v for k, v in form.initial.items() if v not in (None, False)}, "phone": PHONE}

    response = client.post(url, data, **EN)

    assert response.status_code == 302
    party = Party.objects.get(pk=jan.party_id)
    assert party.phone == PHONE
    assert PHONE.encode() not in bytes(party.sealed_contact)
    event = AuditEvent.objects.get(action=AuditAction.PORTAL_DETAILS_CHANGED)
    assert event.details == {"participation": jan.pk, "fields": ["phone"]}
    assert PHONE not in str(event.details)
    assert OutboxMessage.objects.filter(purpose__endswith="details_corrected").exists()
    client.force_login(personas.mediator)
    case_page = client.get(reverse("cases:detail", args=[case.pk]), **EN).content.decode()
    assert PHONE in case_page


def test_bad_details_are_refused_with_a_message_and_nothing_changes(
    client,
    case,
    personas,
):
    fatima = participant(case, "Fatima")  # prefers English
    url = page_of(fatima, personas, "details")

    response = client.post(url, {"email": "not an address", "preferred_language": "en"})

    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert Party.objects.get(pk=fatima.party_id).email == FATIMA
    assert not AuditEvent.objects.filter(action=AuditAction.PORTAL_DETAILS_CHANGED).exists()


def test_every_use_is_audited(client, case, planned, personas):
    url = page_of(participant(case, "Jan"), personas)

    client.get(url, **EN)
    client.get(url, **EN)

    uses = AuditEvent.objects.filter(action=AuditAction.PORTAL_USED)
    assert uses.count() == 2
    assert all(event.details["page"] == "home" for event in uses)


@pytest.mark.parametrize("how", ["revoked", "expired", "altered", "replaced"])
def test_a_link_that_does_not_work_explains_itself_and_reveals_nothing(
    client,
    case,
    planned,
    personas,
    how,
):
    jan = participant(case, "Fatima")  # prefers English: the page speaks it
    link = portal_link_make(participation=jan, actor=personas.mediator)
    token = portal_token(link)
    when = timezone.now()
    if how == "revoked":
        portal_link_revoke(participation=jan, actor=personas.mediator)
    elif how == "expired":
        when += timedelta(days=91)
    elif how == "altered":
        token = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    else:
        portal_link_make(participation=jan, actor=personas.mediator)

    with time_machine.travel(when):
        response = client.get(reverse("portal:home", args=[token]), **EN)

    text = response.content.decode()
    assert response.status_code in (400, 410)
    assert "This link cannot be used" in text
    assert "Stadhuis" not in text and case.reference not in text and "Fatima" not in text
    assert AuditEvent.objects.filter(action=AuditAction.PORTAL_REFUSED).exists()


def test_an_unknown_link_is_a_404(client, case):
    token = signing.dumps({"l": 10**9, "n": "x"}, salt=PORTAL_SALT)

    assert client.get(reverse("portal:home", args=[token]), **EN).status_code == 404


def test_the_links_are_rate_limited(client, case, personas, settings):
    settings.TAFEL_LINK_RATE_LIMIT = "3/m"
    url = page_of(participant(case, "Jan"), personas)

    assert [client.get(url, **EN).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_a_representative_sees_the_sessions_of_their_party(
    client,
    case,
    personas,
    schedule,
):
    jan = participant(case, "Jan")
    representative = participant_add(
        case=case,
        role="representative",
        actor=personas.mediator,
        represents=jan,
        party_fields={"kind": "person", "name": "Advocaat Bakker", "email": "b@example.nl"},
    )
    session = schedule(case, participations=[jan], place="Buurthuis De Pijl")

    text = client.get(page_of(representative, personas), **EN).content.decode()

    assert "Buurthuis De Pijl" in text
    assert "Jan de Vries is uitgenodigd." in text
    assert session.attendees.filter(participation=representative).count() == 0


def test_the_mediator_sends_the_link_and_invites_carry_it(
    client,
    case,
    planned,
    personas,
):
    jan = participant(case, "Jan")
    client.force_login(personas.mediator)
    url = reverse("parties:portal", args=[case.pk, jan.pk])

    assert client.post(url, {"action": "send"}, **EN).status_code == 302

    [message] = [outbox_open(m) for m in OutboxMessage.objects.filter(purpose="portal_link")]
    link = PortalLink.objects.get(participation=jan, revoked_at__isnull=True)
    assert message.to == [JAN]
    assert portal_token(link) in message.body
    attendee = Attendee.objects.get(session=planned, participation=jan)
    invite = invite_email(session=planned, attendee=attendee, purpose="reminder")
    assert portal_token(link) in invite.body
    assert AuditEvent.objects.filter(action=AuditAction.PORTAL_LINK_SENT).exists()


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "outsider"])
def test_only_the_cases_mediators_manage_links(client, case, personas, persona):
    jan = participant(case, "Jan")
    client.force_login(getattr(personas, persona))

    url = reverse("parties:portal", args=[case.pk, jan.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "make"}).status_code == 404
    assert not PortalLink.objects.exists()


def _code_from_email() -> str:
    message = outbox_open(OutboxMessage.objects.filter(purpose="portal_code").latest("id"))
    return message.subject.rsplit(" ", 1)[-1]


def test_a_participant_who_asks_for_it_gets_a_code_by_email_first(client, case, personas):
    fatima = participant(case, "Fatima")
    home = page_of(fatima, personas)
    token = home.rstrip("/").rsplit("/", 1)[-1]
    setting = reverse("portal:code_setting", args=[token])

    assert client.post(setting, {"required": "yes"}).status_code == 302
    assert client.get(home).status_code == 200, "this browser showed it is theirs"

    stranger = client.__class__()
    assert stranger.get(home).url == reverse("portal:code", args=[token])
    code_page = reverse("portal:code", args=[token])
    sent = stranger.post(code_page, {"action": "send"})
    assert "We sent you a code" in sent.content.decode()
    right = _code_from_email()
    wrong = "000000" if right != "000000" else "111111"
    refused = stranger.post(code_page, {"action": "check", "code": wrong})
    assert refused.status_code == 400
    assert "This code is not right" in refused.content.decode()
    assert stranger.post(code_page, {"action": "check", "code": right}).url == home
    assert stranger.get(home).status_code == 200
    checks = AuditEvent.objects.filter(action=AuditAction.PORTAL_CODE_CHECKED)
    assert [event.details["right"] for event in checks.order_by("id")] == [False, True]
    assert right not in str(list(AuditEvent.objects.values_list("details", flat=True)))


def test_a_code_works_once_in_time_and_not_after_five_tries(client, case, personas):
    fatima = participant(case, "Fatima")
    link = portal_link_make(participation=fatima, actor=personas.mediator)
    PortalLink.objects.filter(pk=link.pk).update(code_required=True)
    code_page = reverse("portal:code", args=[portal_token(link)])

    client.post(code_page, {"action": "send"})
    late = _code_from_email()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert client.post(code_page, {"action": "check", "code": late}).status_code == 400

    client.post(code_page, {"action": "send"})
    right = _code_from_email()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        client.post(code_page, {"action": "check", "code": wrong})
    assert client.post(code_page, {"action": "check", "code": right}).status_code == 400


def test_no_code_without_an_email_address(client, case, personas):
    municipality = participant(case, "Gemeente")
    token = page_of(municipality, personas).rstrip("/").rsplit("/", 1)[-1]

    client.post(reverse("portal:code_setting", args=[token]), {"required": "yes"})

    assert not PortalLink.objects.get(participation=municipality).code_required


def test_an_interpreter_gets_no_part_of_the_agreement(client, case, planned, personas):
    interpreter = participant(case, "Tolk")
    home = page_of(interpreter, personas)
    token = home.rstrip("/").rsplit("/", 1)[-1]

    page = client.get(home, **EN).content.decode()
    agreement = client.get(reverse("portal:agreement", args=[token]), **EN).content.decode()

    assert reverse("portal:agreement", args=[token]) not in page
    assert "There is no agreement yet." not in page and "Er is nog geen overeenkomst." not in page
    assert "De partijen lezen de overeenkomst" in agreement, "the interpreter prefers Dutch"
