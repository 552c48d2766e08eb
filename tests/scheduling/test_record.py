"""A session recorded after the fact: a phone call or an unplanned meeting, without invites."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from audit.models import AuditEvent
from cases.models import CaseStatus
from cases.services import TransitionRefused, case_transition
from mediation.models import OutboxMessage
from scheduling.forms import SessionRecordForm
from scheduling.models import Session, SessionStatus
from scheduling.services import feed_create, session_record
from tests.scheduling.conftest import parties_of

pytestmark = pytest.mark.django_db


def an_hour_ago():
    return timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=1)


def form_data(case, **overrides) -> dict:
    start = an_hour_ago()
    data = {
        "kind": "joint",
        "channel": "phone",
        "date": start.date().isoformat(),
        "starts_at": start.strftime("%H:%M"),
        "duration_minutes": "25",
        "place": "",
        "participations": [str(p.pk) for p in parties_of(case)[:2]],
        "mediators": [],
    }
    data.update(overrides)
    return data


def test_a_phone_call_is_recorded_held_without_place_invites_or_emails(client, personas, case):
    client.force_login(personas.mediator)
    url = reverse("scheduling:record", args=[case.pk])
    assert client.get(url).status_code == 200
    before = OutboxMessage.objects.count()

    data = form_data(case, mediators=[str(personas.mediator.pk), str(personas.comediator.pk)])
    response = client.post(url, data)

    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:detail", args=[case.pk, session.pk])
    assert session.status == SessionStatus.HELD and session.recorded_afterwards
    assert session.channel == "phone" and session.place == "" and session.online_link == ""
    assert session.duration_minutes == 25
    assert session.ends_at - session.starts_at == timedelta(minutes=25)
    assert set(session.attendees.values_list("attended", flat=True)) == {True}
    assert session.attendees.filter(user__isnull=False).count() == 2
    assert OutboxMessage.objects.count() == before
    event = AuditEvent.objects.get(action="session.recorded")
    assert event.details["duration_minutes"] == 25 and event.details["channel"] == "phone"
    page = client.get(response["Location"]).content.decode()
    assert "Phone call" in page and "recorded afterwards" in page and "Took part" in page


def test_the_form_suggests_a_phone_call_by_the_mediator_who_records_it(personas, case):
    form = SessionRecordForm(case=case, actor=personas.comediator)

    assert form.initial["mediators"] == [personas.comediator.pk]
    assert form.initial["channel"] == "phone"


def test_a_session_in_the_future_cannot_be_recorded(personas, case):
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = SessionRecordForm(
        form_data(case, date=tomorrow.isoformat(), mediators=[str(personas.mediator.pk)]),
        case=case,
        actor=personas.mediator,
    )
    assert not form.is_valid()
    assert "The date cannot be in the future." in " ".join(form.errors["date"])

    later_today = timezone.localtime() + timedelta(minutes=30)
    if later_today.date() == timezone.localdate():
        form = SessionRecordForm(
            form_data(
                case,
                date=later_today.date().isoformat(),
                starts_at=later_today.strftime("%H:%M"),
                mediators=[str(personas.mediator.pk)],
            ),
            case=case,
            actor=personas.mediator,
        )
        assert not form.is_valid()
        assert "only once it has taken place" in " ".join(form.errors["starts_at"])

    with pytest.raises(ValidationError) as caught:
        session_record(
            case=case,
            kind="joint",
            channel="phone",
            starts_at=timezone.now() + timedelta(hours=1),
            duration_minutes=30,
            actor=personas.mediator,
            participations=parties_of(case)[:1],
            mediators=[personas.mediator],
        )
    assert "only once it has taken place" in " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"duration_minutes": "0"}, "duration_minutes", "at least 1 minute"),
        ({"duration_minutes": "1441"}, "duration_minutes", "at most 1440"),
        ({"participations": []}, "participations", "Choose who took part."),
        ({"mediators": []}, "mediators", "Choose the mediators who took part."),
    ],
)
def test_the_record_form_says_what_is_missing(personas, case, overrides, field, message):
    data = form_data(case, mediators=[str(personas.mediator.pk)])
    data.update(overrides)
    form = SessionRecordForm(data, case=case, actor=personas.mediator)

    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_only_the_case_mediators_can_be_recorded_as_taking_part(personas, case):
    with pytest.raises(ValidationError) as caught:
        session_record(
            case=case,
            kind="joint",
            channel="in_person",
            starts_at=an_hour_ago(),
            duration_minutes=30,
            actor=personas.mediator,
            participations=parties_of(case)[:1],
            mediators=[personas.outsider],
        )
    assert "only mediators of this case" in " ".join(caught.value.messages)


def test_a_recorded_joint_session_lets_the_case_reach_an_agreement(personas, case):
    session_record(
        case=case,
        kind="joint",
        channel="video",
        starts_at=an_hour_ago(),
        duration_minutes=60,
        actor=personas.mediator,
        participations=parties_of(case),
        mediators=[personas.mediator],
    )

    case = case_transition(case=case, name="reach_agreement", actor=personas.mediator)

    assert case.status == CaseStatus.AGREEMENT


def test_a_recorded_intake_call_does_not_count_as_a_joint_session(personas, case):
    session_record(
        case=case,
        kind="intake",
        channel="phone",
        starts_at=an_hour_ago(),
        duration_minutes=20,
        actor=personas.mediator,
        participations=parties_of(case)[:1],
        mediators=[personas.mediator],
    )

    with pytest.raises(TransitionRefused) as caught:
        case_transition(case=case, name="reach_agreement", actor=personas.mediator)
    assert "Hold a joint session" in str(caught.value)


def test_recorded_sessions_stay_out_of_the_calendar_feed(client, personas, case, schedule):
    planned = schedule(case)
    session_record(
        case=case,
        kind="joint",
        channel="phone",
        starts_at=an_hour_ago(),
        duration_minutes=20,
        actor=personas.mediator,
        participations=parties_of(case)[:1],
        mediators=[personas.mediator],
    )
    token = feed_create(user=personas.mediator)

    feed = client.get(reverse("scheduling:feed", args=[token]))

    uids = {str(e["UID"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert uids == {f"{planned.uid}@tafel"}


def test_outsiders_and_the_referrer_cannot_record_a_session(client, personas, case):
    url = reverse("scheduling:record", args=[case.pk])
    for user in (personas.outsider, personas.coordinator, personas.supervisor):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, form_data(case)).status_code == 404
    assert not Session.objects.exists()


def test_a_closed_case_records_no_sessions(personas, case):
    case_transition(case=case, name="withdraw", actor=personas.mediator, reason="Gestopt.")
    with pytest.raises(ValidationError) as caught:
        session_record(
            case=case,
            kind="joint",
            channel="phone",
            starts_at=an_hour_ago(),
            duration_minutes=20,
            actor=personas.mediator,
            participations=parties_of(case)[:1],
            mediators=[personas.mediator],
        )
    assert "only while the case is open" in " ".join(caught.value.messages)
