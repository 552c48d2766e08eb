"""A party declining a session invite: the case's mediators hear of it, and of nothing else."""

import pytest
from django.urls import reverse

from mediation.models import NoticeKind, OutboxMessage
from scheduling.models import Rsvp
from scheduling.rsvp import rsvp_token
from tests.cases.notice_helpers import (
    PARTY_MARKER,
    PLACE_MARKER,
    assert_nothing_confidential,
    english,
    notices,
    recipients,
    with_marker_party,
)

pytestmark = pytest.mark.django_db


def url_of(attendee, answer):
    token = rsvp_token(attendee, sequence=attendee.session.sequence)
    return reverse("scheduling:rsvp", args=[token]) + f"?answer={answer}"


def test_a_party_declining_tells_the_mediators_once_without_naming_anyone(
    client, case, schedule, personas
):
    with_marker_party(case, personas)
    english(personas.mediator, personas.comediator)
    session = schedule(case, place=PLACE_MARKER)
    OutboxMessage.objects.filter(purpose__startswith="notice.").delete()
    marker = session.attendees.get(participation__party__name=PARTY_MARKER)

    client.post(url_of(marker, "declined"), {"answer": "declined"})

    marker.refresh_from_db()
    assert marker.rsvp == Rsvp.DECLINED
    assert recipients(NoticeKind.PARTY_DECLINED) == sorted(
        [personas.mediator.email, personas.comediator.email]
    )
    for notice in notices(NoticeKind.PARTY_DECLINED):
        assert_nothing_confidential(notice, case)
        session_url = reverse("scheduling:detail", args=[case.pk, session.pk])
        assert f"http://127.0.0.1:8000{session_url}" in notice["body"]

    # Declining again through a fresh link is no news; accepting is none either.
    OutboxMessage.objects.filter(purpose__startswith="notice.").delete()
    client.post(url_of(marker, "declined"), {"answer": "declined"})
    jan = session.attendees.get(participation__party__name="Jan de Vries")
    client.post(url_of(jan, "accepted"), {"answer": "accepted"})
    assert notices() == []
