"""Rules a mediator expects when planning: no past sessions with invites, consent before a joint
session (7b), step-free access (7c), and every clash reported in one round."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus
from mediation.models import OutboxMessage
from parties.models import Party
from parties.services import participant_add, participation_add
from scheduling.forms import SessionForm
from scheduling.models import Session
from scheduling.services import (
    attendee_add,
    session_reschedule,
    session_schedule,
)
from tests.factories import CaseFactory
from tests.scheduling.conftest import at, parties_of

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def form_data(**overrides) -> dict:
    data = {
        "kind": "joint",
        "date": "2027-07-06",
        "starts_at": "14:00",
        "ends_at": "16:00",
        "place": "Stadhuis",
        "online_link": "",
        "accessibility_notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def unsigned(case, personas):
    """A support person added to the case whose confidentiality statement is not recorded."""
    return participant_add(
        case=case,
        role="support",
        actor=personas.mediator,
        party_fields={"kind": "person", "name": "Buurman Kees"},
    )


# The service refuses to plan a past session with invites.


def test_the_service_refuses_to_plan_a_session_in_the_past(case, personas):
    start = timezone.now() - timedelta(hours=1)
    queued = OutboxMessage.objects.count()

    with pytest.raises(ValidationError) as caught:
        session_schedule(
            case=case,
            kind="joint",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Stadhuis",
            participations=parties_of(case),
            actor=personas.mediator,
        )

    assert "still ahead" in messages_of(caught.value)
    assert "Record a session afterwards" in messages_of(caught.value)
    assert not Session.objects.exists() and OutboxMessage.objects.count() == queued


def test_the_service_refuses_to_move_a_session_into_the_past(case, schedule, personas):
    session = schedule(case)
    start = timezone.now() - timedelta(days=1)

    with pytest.raises(ValidationError) as caught:
        session_reschedule(
            session=session,
            actor=personas.mediator,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )

    assert "still ahead" in messages_of(caught.value)


# Rule 7b: joint and group sessions invite only those who signed.


@pytest.mark.parametrize("session_kind", ["joint", "group"])
def test_a_joint_or_group_session_refuses_someone_without_a_signed_statement(
    case, personas, unsigned, session_kind
):
    with pytest.raises(ValidationError) as caught:
        session_schedule(
            case=case,
            kind=session_kind,
            starts_at=at(2027, 7, 6, 14),
            ends_at=at(2027, 7, 6, 16),
            place="Stadhuis",
            participations=[*parties_of(case)[:1], unsigned],
            actor=personas.mediator,
        )

    assert "Buurman Kees: no confidentiality statement is recorded." in messages_of(caught.value)
    assert not Session.objects.exists()


def test_an_intake_session_may_invite_someone_who_has_not_signed(case, personas, unsigned):
    session = session_schedule(
        case=case,
        kind="intake",
        starts_at=at(2027, 7, 6, 14),
        ends_at=at(2027, 7, 6, 16),
        place="Stadhuis",
        participations=[unsigned],
        actor=personas.mediator,
    )

    assert session.attendees.filter(participation=unsigned).exists()


def test_a_party_without_consent_cannot_be_added_to_a_joint_session_nor_turn_an_intake_joint(
    in_intake, personas
):
    parties = parties_of(in_intake)  # no consent recorded yet in intake
    joint = session_schedule(
        case=in_intake,
        kind="intake",
        starts_at=at(2027, 7, 6, 14),
        ends_at=at(2027, 7, 6, 16),
        place="Stadhuis",
        participations=parties[:1],
        actor=personas.mediator,
    )
    with pytest.raises(ValidationError) as caught:
        session_reschedule(session=joint, actor=personas.mediator, kind="joint")
    assert "no signed mediation agreement is recorded" in messages_of(caught.value)

    group = session_schedule(
        case=in_intake,
        kind="group",
        starts_at=at(2027, 7, 7, 14),
        ends_at=at(2027, 7, 7, 16),
        place="Stadhuis",
        actor=personas.mediator,
    )
    with pytest.raises(ValidationError) as caught:
        attendee_add(session=group, participation=parties[1], actor=personas.mediator)
    assert "no signed mediation agreement is recorded" in messages_of(caught.value)


def test_the_plan_form_says_who_is_left_out_of_a_joint_session_and_why(
    client, personas, case, unsigned
):
    client.force_login(personas.mediator)
    url = reverse("scheduling:schedule", args=[case.pk])

    page = client.get(url).content.decode()
    assert "Not for a joint or group session yet" in page
    assert "Buurman Kees: no confidentiality statement is recorded." in page

    response = client.post(url, form_data(participations=[str(unsigned.pk)]))
    assert response.status_code == 200
    assert "invites only people whose mediation agreement" in response.content.decode()
    assert not Session.objects.exists()

    response = client.post(url, form_data(kind="intake", participations=[str(unsigned.pk)]))
    assert response.status_code == 302


# Rule 7c: a place without step-free access, and someone who needs it.


def test_the_form_warns_when_an_invitee_needs_step_free_access_and_the_place_has_none(
    case, personas
):
    jan = next(p for p in parties_of(case) if p.party.name == "Jan de Vries")
    Party.objects.filter(pk=jan.party_id).update(needs_step_free_access=True)
    data = form_data(participations=[str(jan.pk)])

    warned = SessionForm(data, case=case)
    assert not warned.is_valid()
    assert "Jan de Vries needs step-free access" in " ".join(warned.errors["overlap_confirmed"])

    assert SessionForm({**data, "step_free_access": "on"}, case=case).is_valid()
    assert SessionForm({**data, "place": "", "online_link": "https://video.example"}, case=case)
    confirmed = SessionForm({**data, "overlap_confirmed": "on"}, case=case)
    assert confirmed.is_valid(), confirmed.errors


def test_the_session_page_warns_about_step_free_access(client, personas, case, schedule):
    session = schedule(case, step_free_access=False)
    Party.objects.filter(name="Fatima el Amrani").update(needs_step_free_access=True)
    client.force_login(personas.mediator)
    url = reverse("scheduling:detail", args=[case.pk, session.pk])

    assert "Fatima el Amrani</bdi> needs step-free access" in client.get(url).content.decode()

    session_reschedule(session=session, actor=personas.mediator, step_free_access=True)
    assert "needs step-free access" not in client.get(url).content.decode()


def test_the_change_form_warns_about_step_free_access_too(client, personas, case, schedule):
    session = schedule(case, step_free_access=True)
    Party.objects.filter(name="Fatima el Amrani").update(needs_step_free_access=True)
    client.force_login(personas.mediator)
    url = reverse("scheduling:reschedule", args=[case.pk, session.pk])

    response = client.post(url, form_data(place="Zolder, geen lift"))

    assert "Fatima el Amrani needs step-free access" in response.content.decode()
    session.refresh_from_db()
    assert session.place == "Stadhuis Utrecht, kamer 2.14"


# Clashes at once.


def test_a_clash_for_a_party_and_for_a_mediator_is_reported_in_one_round(case, personas, client):
    jan = next(p for p in parties_of(case) if p.party.name == "Jan de Vries")
    other = CaseFactory(
        referred_by=personas.coordinator, mediators=[personas.comediator, personas.outsider]
    )
    Case.objects.filter(pk=other.pk).update(status=CaseStatus.SESSIONS)
    elsewhere = participation_add(
        case=other, party=jan.party, role="party", actor=personas.outsider
    )
    session_schedule(
        case=other,
        kind="intake",
        starts_at=at(2027, 7, 6, 15),
        ends_at=at(2027, 7, 6, 17),
        place="Elders",
        participations=[elsewhere],
        actor=personas.comediator,
    )
    client.force_login(personas.mediator)

    response = client.post(
        reverse("scheduling:schedule", args=[case.pk]), form_data(participations=[str(jan.pk)])
    )

    page = response.content.decode()
    assert "Jan de Vries already has another session at this time" in page
    assert "cannot be in two sessions at once" in page
    assert Session.objects.filter(case=case).count() == 0
