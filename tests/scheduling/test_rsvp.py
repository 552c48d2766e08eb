"""Answer links: signed, bound to one attendee and one revision, explained when unusable."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from scheduling.models import Rsvp, Session
from scheduling.rsvp import RSVP_SALT, rsvp_token
from scheduling.services import attendee_remove, session_cancel, session_reschedule
from tests.scheduling.conftest import FATIMA, JAN, at, deliver

pytestmark = pytest.mark.django_db


def attendee_named(session, name):
    return session.attendees.get(participation__party__name=name)


def url_of(attendee, answer="accepted", sequence=None):
    token = rsvp_token(
        attendee, sequence=attendee.session.sequence if sequence is None else sequence
    )
    return reverse("scheduling:rsvp", args=[token]) + f"?answer={answer}"


def test_the_link_in_the_email_opens_a_confirmation_page_and_get_changes_nothing(
    client, case, schedule, smtp_server
):
    session = schedule(case)
    deliver()
    (invite,) = [r for r in smtp_server.to(JAN) if "invite.ics" in r.raw.decode("ascii", "replace")]
    text = invite.message.get_body(("plain",)).get_content()
    link = re.search(r"http://127\.0\.0\.1:8000(/invite/\S+\?answer=declined)", text).group(1)

    response = client.get(link)

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    assert re.search(r"value=\"declined\"[^>]*checked", page), page
    assert attendee_named(session, "Jan de Vries").rsvp == Rsvp.NEEDS_ACTION
    assert not AuditEvent.objects.filter(action="session.rsvp").exists()


def test_posting_the_answer_records_it_audits_it_and_shows_it_on_the_session(
    client, case, schedule, personas
):
    session = schedule(case)
    jan = attendee_named(session, "Jan de Vries")

    response = client.post(url_of(jan), {"answer": "tentative"})

    assert response.status_code == 200
    jan.refresh_from_db()
    assert jan.rsvp == Rsvp.TENTATIVE and jan.responded_at is not None
    event = AuditEvent.objects.get(action="session.rsvp")
    assert event.target_id == str(jan.pk) and event.details["answer"] == "tentative"
    assert event.actor is None
    client.force_login(personas.comediator)
    detail = client.get(reverse("scheduling:detail", args=[case.pk, session.pk]))
    assert "Tentative" in detail.content.decode()


def test_the_page_speaks_the_invitees_language(client, case, schedule):
    session = schedule(case)
    fatima = attendee_named(session, "Fatima el Amrani")

    response = client.get(url_of(fatima), HTTP_ACCEPT_LANGUAGE="nl")

    assert '<html lang="en">' in response.content.decode()
    assert "I will come" in response.content.decode()


def test_a_link_cannot_be_altered_to_answer_for_another_attendee_or_session(client, case, schedule):
    session = schedule(case)
    other_session = schedule(case, starts_at=at(2027, 7, 9, 10))
    jan = attendee_named(session, "Jan de Vries")
    fatima = attendee_named(session, "Fatima el Amrani")
    token = rsvp_token(jan, sequence=0)
    payload = signing.loads(token, salt=RSVP_SALT)
    body, signature = token.split(":", 1)

    forged = [
        # The same signature on another attendee's or another session's payload.
        signing.dumps({**payload, "a": fatima.pk}, salt="another salt").split(":", 1)[0]
        + ":"
        + signature,
        signing.dumps({**payload, "u": str(other_session.uid)}, salt=RSVP_SALT)[:-3] + "abc",
        body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + ":" + signature,
        token.replace(":", "."),
        "nonsense",
    ]
    for bad in forged:
        response = client.post(reverse("scheduling:rsvp", args=[bad]), {"answer": "declined"})
        assert response.status_code == 400, bad
        assert "not complete or was changed" in response.content.decode()

    # A valid token of one attendee never touches another, whatever the form says.
    client.post(reverse("scheduling:rsvp", args=[token]), {"answer": "declined", "a": fatima.pk})
    fatima.refresh_from_db()
    assert fatima.rsvp == Rsvp.NEEDS_ACTION
    assert not other_session.attendees.filter(rsvp=Rsvp.DECLINED).exists()


def test_a_link_from_before_a_change_of_time_explains_itself(client, case, schedule, personas):
    session = schedule(case)
    jan = attendee_named(session, "Jan de Vries")
    old = url_of(jan)
    session_reschedule(
        session=session,
        actor=personas.mediator,
        starts_at=at(2027, 7, 7, 14),
        ends_at=at(2027, 7, 7, 16),
    )

    response = client.post(old, {"answer": "accepted"})

    assert response.status_code == 410
    assert "newest invitation" in response.content.decode()
    jan.refresh_from_db()
    assert jan.rsvp == Rsvp.NEEDS_ACTION


def test_links_of_cancelled_sessions_and_removed_attendees_explain_themselves(
    client, case, schedule, personas
):
    session = schedule(case)
    jan, fatima = (attendee_named(session, n) for n in ("Jan de Vries", "Fatima el Amrani"))
    jan_url, fatima_url = url_of(jan), url_of(fatima)

    attendee_remove(attendee=fatima, actor=personas.mediator)
    assert "no longer invited" in client.get(fatima_url).content.decode()
    assert client.get(jan_url).status_code == 200  # the others' links keep working

    session_cancel(session=session, actor=personas.mediator)
    response = client.get(jan_url)
    assert response.status_code == 410
    assert "cancelled" in response.content.decode()


def test_a_link_expires_when_the_session_is_over(client, case, schedule):
    now = timezone.now()
    session = schedule(
        case, starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=1)
    )
    jan = attendee_named(session, "Jan de Vries")
    link = url_of(jan)
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - timedelta(hours=2), ends_at=now - timedelta(hours=1)
    )

    response = client.get(link)

    assert response.status_code == 410
    assert "answers to its invitation are closed" in response.content.decode()


def test_a_used_link_shows_the_earlier_answer_and_may_change_it(client, case, schedule):
    session = schedule(case)
    jan = attendee_named(session, "Jan de Vries")
    client.post(url_of(jan), {"answer": "accepted"})

    page = client.get(url_of(jan, "declined")).content.decode()
    assert "geantwoord" in page  # the party reads Dutch
    client.post(url_of(jan), {"answer": "declined"})
    jan.refresh_from_db()
    assert jan.rsvp == Rsvp.DECLINED


def test_an_invalid_answer_is_refused_without_a_stack_trace(client, case, schedule):
    session = schedule(case)
    jan = attendee_named(session, "Jan de Vries")

    response = client.post(url_of(jan), {"answer": "needs-action"})

    assert response.status_code == 200
    jan.refresh_from_db()
    assert jan.rsvp == Rsvp.NEEDS_ACTION


def test_the_answer_page_shows_no_other_invitee(client, case, schedule):
    session = schedule(case)
    page = client.get(url_of(attendee_named(session, "Jan de Vries"))).content.decode()

    assert "Fatima" not in page and FATIMA not in page and "Tolk" not in page
