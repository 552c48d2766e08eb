"""The mediator's registration report (MfN): hand-counted figures, the period's boundaries,
the co-mediations cap, what is not counted, constant queries, and the page and CSV."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Approval
from audit.models import AuditEvent
from cases.models import Case, Outcome
from dossier.registration import default_period, registration_report
from mediation.roles import Role
from scheduling.models import Attendee, Session, SessionStatus
from tests.factories import CaseFactory, ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YEAR_2025 = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}


def at(day: date, hour: int = 14, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


def session(case, *, starts_at, minutes=60, status=SessionStatus.HELD, attendees=(), **attended):
    """A session of `case` with its mediators as attendees (attended unless told otherwise)."""
    record = Session.objects.create(
        case=case,
        kind="joint",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        place="Buurthuis",
        status=status,
        duration_minutes=minutes if status != SessionStatus.PLANNED else None,
        organizer=case.lead_mediator,
        created_by=case.lead_mediator,
    )
    for user in attendees or [case.lead_mediator, *case.co_mediators.all()]:
        Attendee.objects.create(
            session=record, user=user, attended=attended.get(user.username, True)
        )
    return record


def mediation(
    coordinator,
    mediators,
    *,
    ended_on,
    outcome=Outcome.NO_AGREEMENT,
    minutes=60,
    approved=False,
    session_on=None,
):
    """A closed case of `mediators` (the first leads) with one held session before its end."""
    case = CaseFactory(referred_by=coordinator, mediators=mediators)
    Case.objects.filter(pk=case.pk).update(status="closed", outcome=outcome, ended_on=ended_on)
    case.refresh_from_db()
    session(case, starts_at=at(session_on or ended_on - timedelta(days=7)), minutes=minutes)
    if approved:
        agreement = Agreement.objects.create(
            case=case, sealed_text=b"sealed", created_by=mediators[0], version=2
        )
        Approval.objects.create(
            agreement=agreement,
            participation=ParticipationFactory(case=case),
            version=2,
            decision="approved",
            method="paper",
            recorded_by=mediators[0],
        )
    return case


def test_the_default_period_is_the_last_three_years_up_to_today():
    assert default_period(date(2026, 12, 3)) == (date(2023, 12, 4), date(2026, 12, 3))
    assert default_period(date(2028, 2, 29)) == (date(2025, 3, 1), date(2028, 2, 29))


def test_co_mediations_beyond_the_third_do_not_count_towards_the_nine(personas):
    lead, other = personas.mediator, personas.comediator
    for month in (1, 2):
        mediation(personas.coordinator, [lead], ended_on=date(2025, month, 15))
    for month in range(3, 8):
        mediation(personas.coordinator, [other, lead], ended_on=date(2025, month, 15))

    report = registration_report(mediator=lead, **YEAR_2025)

    assert (report.lead_count, report.co_count, report.co_counted) == (2, 5, 3)
    assert report.mediations_counted == 5
    mediations, _hours, _written, co = report.minimums
    assert (mediations.figure, mediations.met) == (5, False)
    assert "2 co-mediations beyond the third do not count." in str(mediations.note)
    assert (co.figure, co.met) == (3, True)
    # The other mediator led all five.
    assert registration_report(mediator=other, **YEAR_2025).mediations_counted == 5


def test_the_period_holds_its_first_and_last_day_and_nothing_outside(personas):
    lead = personas.mediator
    for ended_on in (date(2024, 12, 31), date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 1)):
        case = mediation(
            personas.coordinator, [lead], ended_on=ended_on, session_on=date(2024, 6, 1)
        )
        case.sessions.all().delete()
        # A session on the very edges of the period, in Amsterdam's time (15 min each).
        session(case, starts_at=at(ended_on, 0, 0), minutes=15)
        session(case, starts_at=at(ended_on - timedelta(days=1), 23, 45), minutes=15)

    report = registration_report(mediator=lead, **YEAR_2025)

    assert [m.ended_on for m in report.mediations] == [date(2025, 1, 1), date(2025, 12, 31)]
    # In the period: 1 January 00:00, 31 December 00:00, 30 December 23:45, 31 December 23:45.
    assert report.contact_minutes == 4 * 15


def test_sessions_not_held_or_not_attended_do_not_count(personas):
    lead, co = personas.mediator, personas.comediator
    case = mediation(personas.coordinator, [lead, co], ended_on=date(2025, 6, 1), minutes=90)
    day = at(date(2025, 5, 1))
    session(case, starts_at=day, minutes=60, status=SessionStatus.PLANNED)
    session(case, starts_at=day + timedelta(days=1), minutes=60, status=SessionStatus.CANCELLED)
    session(case, starts_at=day + timedelta(days=2), minutes=45, mediator=False)
    removed = session(case, starts_at=day + timedelta(days=3), minutes=30)
    removed.attendees.filter(user=lead).update(removed_at=timezone.now())
    # A closed case whose only session was cancelled is no mediation, and brings no hours.
    never_met = CaseFactory(referred_by=personas.coordinator, mediators=[lead])
    Case.objects.filter(pk=never_met.pk).update(
        status="closed", outcome=Outcome.WITHDRAWN, ended_on=date(2025, 6, 1)
    )
    session(never_met, starts_at=day, minutes=60, status=SessionStatus.CANCELLED)
    # An open case: its held session counts for the hours, the case is no mediation yet.
    still_open = CaseFactory(referred_by=personas.coordinator, mediators=[lead])
    session(still_open, starts_at=day, minutes=20)

    report = registration_report(mediator=lead, **YEAR_2025)

    assert [m.case_id for m in report.mediations] == [case.pk]
    assert report.contact_minutes == 90 + 20
    # The co-mediator attended the 45 and 30 minutes sessions too.
    assert registration_report(mediator=co, **YEAR_2025).contact_minutes == 90 + 45 + 30


def test_a_written_agreement_is_an_approved_current_version_and_an_agreed_outcome(personas):
    lead, coordinator = personas.mediator, personas.coordinator
    full = mediation(
        coordinator,
        [lead],
        ended_on=date(2025, 3, 1),
        approved=True,
        outcome=Outcome.FULL_AGREEMENT,
    )
    partial = mediation(
        coordinator,
        [lead],
        ended_on=date(2025, 3, 2),
        approved=True,
        outcome=Outcome.PARTIAL_AGREEMENT,
    )
    old_version = mediation(
        coordinator,
        [lead],
        ended_on=date(2025, 3, 3),
        approved=True,
        outcome=Outcome.FULL_AGREEMENT,
    )
    Agreement.objects.filter(case=old_version).update(version=3)
    declined = mediation(
        coordinator,
        [lead],
        ended_on=date(2025, 3, 4),
        approved=True,
        outcome=Outcome.FULL_AGREEMENT,
    )
    Approval.objects.filter(agreement__case=declined).update(decision="declined")
    # Approved, but then the mediation ended without agreement.
    mediation(coordinator, [lead], ended_on=date(2025, 3, 5), approved=True)

    report = registration_report(mediator=lead, **YEAR_2025)

    written = [m.case_id for m in report.mediations if m.written_agreement]
    assert written == [full.pk, partial.pk]
    assert report.written_agreements_counted == 2


def test_written_agreements_of_co_mediations_count_up_to_three(personas):
    lead, other = personas.mediator, personas.comediator
    for day in range(1, 6):
        mediation(
            personas.coordinator,
            [other, lead],
            ended_on=date(2025, 4, day),
            approved=True,
            outcome=Outcome.FULL_AGREEMENT,
        )

    report = registration_report(mediator=lead, **YEAR_2025)

    assert (report.written_agreements, report.written_agreements_counted) == (5, 3)


def _minimal_world(personas, count):
    for day in range(1, count + 1):
        mediation(
            personas.coordinator,
            [personas.mediator, personas.comediator],
            ended_on=date(2025, 5, day),
            approved=True,
            outcome=Outcome.FULL_AGREEMENT,
        )


def test_the_report_reads_two_queries_whatever_the_number_of_cases(
    personas, django_assert_max_num_queries
):
    _minimal_world(personas, 6)

    with django_assert_max_num_queries(2):
        report = registration_report(mediator=personas.mediator, **YEAR_2025)
        assert report.minimums and report.outcomes and report.all_met is False


def test_the_page_reads_as_many_queries_for_few_cases_as_for_many(client, personas):
    client.force_login(personas.mediator)
    url = reverse("dossier:registration") + "?start=2025-01-01&end=2025-12-31"
    _minimal_world(personas, 1)
    client.get(url)  # the sign-in's first-request checks (second factor, session), once
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _minimal_world(personas, 8)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count("/cases/") >= 9
    assert len(many) == len(few)


def test_a_mediator_sees_their_own_report_with_each_minimum_named_and_audited(client, personas):
    for day in range(1, 4):
        mediation(
            personas.coordinator,
            [personas.mediator],
            ended_on=timezone.localdate() - timedelta(days=day),
            approved=True,
            outcome=Outcome.FULL_AGREEMENT,
        )
    client.force_login(personas.mediator)

    page = client.get(reverse("dossier:registration"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Not every minimum is met in this period." in html
    assert html.count("Not met") == 2  # mediations and contact hours
    assert html.count(">\u2713</span> Met") == 2  # written agreements and the cap
    start, end = default_period()
    event = AuditEvent.objects.get(action="registration.viewed")
    assert event.actor == personas.mediator
    assert event.details == {"start": start.isoformat(), "end": end.isoformat()}


def test_a_mediator_cannot_read_another_mediators_report(client, personas):
    mediation(personas.coordinator, [personas.comediator], ended_on=date(2025, 5, 1))
    client.force_login(personas.mediator)

    page = client.get(
        reverse("dossier:registration"),
        {"mediator": personas.comediator.pk, "start": "2025-01-01", "end": "2025-12-31"},
    )

    assert page.status_code == 200
    assert page.context["report"].mediator == personas.mediator
    assert page.context["report"].mediations == []


def test_a_supervisor_picks_any_mediator(client, personas):
    case = mediation(personas.coordinator, [personas.comediator], ended_on=date(2025, 5, 1))
    client.force_login(personas.supervisor)

    first = client.get(reverse("dossier:registration"))
    assert first.context["report"] is None  # a supervisor who mediates nothing picks first
    page = client.get(
        reverse("dossier:registration"),
        {"mediator": personas.comediator.pk, "start": "2025-01-01", "end": "2025-12-31"},
    )

    assert page.context["report"].mediator == personas.comediator
    assert case.reference in page.content.decode()
    refused = client.get(
        reverse("dossier:registration"),
        {"mediator": personas.coordinator.pk, "start": "2025-01-01", "end": "2025-12-31"},
    )
    assert refused.status_code == 400


@pytest.mark.parametrize("user", ["coordinator", "outsider_without_role"])
def test_people_without_a_mediator_or_supervisor_role_are_refused(client, personas, user):
    person = personas.coordinator if user == "coordinator" else UserFactory(username="plain")
    client.force_login(person)
    assert client.get(reverse("dossier:registration")).status_code == 403
    assert client.get(reverse("dossier:registration_csv")).status_code == 403


def test_a_wrong_period_gets_a_clear_message_and_no_report(client, personas):
    client.force_login(personas.mediator)
    url = reverse("dossier:registration")

    backwards = client.get(url, {"start": "2025-12-31", "end": "2025-01-01"})
    future = client.get(url, {"start": "2025-01-01", "end": "2999-01-01"})
    nonsense = client.get(url, {"start": "yesterday", "end": ""})

    assert backwards.status_code == future.status_code == nonsense.status_code == 400
    assert "The period must start on or before its last day." in backwards.content.decode()
    assert "The date cannot be in the future." in future.content.decode()
    assert "Enter a valid date." in nonsense.content.decode()
    assert backwards.context["report"] is None
    assert not AuditEvent.objects.filter(action="registration.viewed").exists()
    csv_refused = client.get(reverse("dossier:registration_csv"), {"start": "x", "end": "y"})
    assert csv_refused.status_code == 400


def test_the_csv_holds_the_figures_is_formula_safe_and_audited(client, personas):
    mediator = UserFactory(
        username="formula", first_name="=HYPERLINK(1)", last_name="x", roles=[Role.MEDIATOR]
    )
    case = mediation(personas.coordinator, [mediator], ended_on=date(2025, 5, 1), minutes=150)
    client.force_login(mediator)

    response = client.get(
        reverse("dossier:registration_csv"), {"start": "2025-01-01", "end": "2025-12-31"}
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["mediator", "'=HYPERLINK(1) x"]
    assert ["mediations", "1", "at least 9", "no", ""] in rows
    assert ["contact_hours", "2", "at least 36", "no", ""] in rows
    assert ["contact_minutes", "150", "", "", ""] in rows
    assert [case.reference, "2025-05-01", "lead", "no_agreement", "no"] in rows
    event = AuditEvent.objects.get(action="registration.exported")
    assert event.details == {"start": "2025-01-01", "end": "2025-12-31"}


def test_mediators_and_supervisors_find_the_report_in_the_menu_and_coordinators_do_not(
    client, personas
):
    url = reverse("dossier:registration")
    for user, shown in (
        (personas.mediator, True),
        (personas.supervisor, True),
        (personas.coordinator, False),
    ):
        client.force_login(user)
        assert (f'href="{url}"' in client.get(reverse("home")).content.decode()) is shown
