"""Each role's home shows what needs them now, each item linking to where it is handled."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseActivity, CaseStatus
from cases.services import case_transition, note_read, note_write
from dashboard.models import HomeVisit
from scheduling.models import Session
from tests.cases.test_list import bulk_cases
from tests.dashboard.conftest import in_sessions_case, local, plan

pytestmark = pytest.mark.django_db


def test_the_mediators_home_shows_what_needs_them_with_links(client, personas, busy_day):
    client.force_login(personas.mediator)

    response = client.get(reverse("home"))

    page = response.content.decode()
    day = response.context["day"]
    sessions, approvals, overdue = busy_day["sessions"], busy_day["approvals"], busy_day["overdue"]
    # Sessions: none today, two tomorrow, each linking to its page.
    assert day.today == []
    assert [s.pk for s in day.this_week] == [busy_day["tomorrow"].pk, busy_day["later"].pk]
    tomorrow_url = reverse("scheduling:detail", args=[sessions.pk, busy_day["tomorrow"].pk])
    later_url = reverse("scheduling:detail", args=[sessions.pk, busy_day["later"].pk])
    assert tomorrow_url in page
    # Invites: the declined one and the one still unanswered a day ahead.
    assert [(a.session_id, a.rsvp) for a in day.invites] == [
        (busy_day["tomorrow"].pk, "declined"),
        (busy_day["later"].pk, "needs-action"),
    ]
    assert "Jan de Vries will not come" in page
    assert "Gemeente Utrecht, afdeling Wonen has not answered yet" in page
    assert later_url in page
    # Approvals: one of two parties approved.
    assert [(w.agreement.case_id, w.approved, w.parties) for w in day.approvals] == [
        (approvals.pk, 1, 2)
    ]
    assert "1 of 2 parties approved version" in page
    assert reverse("agreements:agreement", args=[approvals.pk]) in page
    # The overdue action (to its review form: the case is in follow-up) and the follow-up.
    assert [a.agreement.case_id for a in day.actions] == [overdue.pk]
    action = day.actions[0]
    assert reverse("agreements:action_review", args=[overdue.pk, action.pk]) in page
    assert [a.case_id for a in day.follow_ups] == [overdue.pk]
    assert page.count(">Overdue</span>") == 2
    # The referral without the mediator's declaration; the others all have one.
    assert [c.pk for c in day.declarations] == [busy_day["undeclared"].pk]
    assert reverse("cases:declare", args=[busy_day["undeclared"].pk]) in page


def test_nothing_of_a_colleagues_case_shows_on_the_home(client, personas, busy_day):
    client.force_login(personas.outsider)

    day = client.get(reverse("home")).context["day"]

    assert day.needs_nothing


def test_the_co_mediator_sees_the_shared_cases_but_not_the_leads_declaration(
    client, personas, busy_day
):
    client.force_login(personas.comediator)

    day = client.get(reverse("home")).context["day"]

    assert len(day.this_week) == 2
    assert day.declarations == []  # not on the undeclared case


def test_an_invite_answered_yes_or_far_ahead_needs_nothing(client, personas, refer):
    case = in_sessions_case(refer, personas)
    plan(case, personas.mediator, starts_at=local(timezone.localdate() + timedelta(days=5), 10))
    client.force_login(personas.mediator)

    day = client.get(reverse("home")).context["day"]

    assert len(day.this_week) == 1
    assert day.invites == []  # unanswered, but five days ahead


def test_the_mediators_home_runs_the_same_queries_for_one_case_or_many(
    client, personas, busy_day, refer, django_assert_num_queries
):
    client.force_login(personas.mediator)
    client.get(reverse("home"))  # the first visit makes the records every visit reads
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for hour in (17, 18, 19):
        case = in_sessions_case(refer, personas)
        plan(case, personas.mediator, starts_at=busy_day["later"].starts_at.replace(hour=hour))
    bulk_cases(30, referred_by=personas.coordinator, mediator=personas.mediator)

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))


def test_the_coordinator_sees_what_changed_since_the_last_visit(client, personas, refer):
    case = refer()
    client.force_login(personas.coordinator)
    first = client.get(reverse("home"))
    assert first.context["since"] is None
    assert [c.pk for c in first.context["referrals"]] == [case.pk]
    # The last visit was yesterday; since then a supervisor assigned and the case moved on.
    HomeVisit.objects.filter(user=personas.coordinator).update(
        latest_at=first.context["referrals"][0].created_at.replace(year=2020)
    )
    case_in_sessions = in_sessions_case(refer, personas, title="Tweede")

    response = client.get(reverse("home"))

    changes = response.context["changes"]
    assert {(c.case_id, c.to_status) for c in changes} == {
        (case_in_sessions.pk, CaseStatus.INTAKE),
        (case_in_sessions.pk, CaseStatus.SESSIONS),
    }
    page = response.content.decode()
    assert "Changed since your last visit" in page
    assert "from 'Intake' to 'Sessions'" in page
    # A reload within the half hour shows the same changes; nothing of the talks is there.
    again = client.get(reverse("home"))
    assert len(again.context["changes"]) == 2


def test_the_supervisor_sees_queue_quiet_cases_and_caseload_in_constant_queries(
    client, personas, refer, django_assert_max_num_queries
):
    urgent = refer(urgency="high")
    unsafe = refer(urgency="low", safety_concern=True)
    normal = refer()
    quiet = in_sessions_case(refer, personas, title="Stil")
    CaseActivity.objects.filter(case=quiet).update(last_at=timezone.now() - timedelta(days=30))
    client.force_login(personas.supervisor)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("home"))

    assert [c.pk for c in response.context["queue"]] == [unsafe.pk, urgent.pk, normal.pk]
    assert [a.case_id for a in response.context["quiet"]] == [quiet.pk]
    loads = {
        row.mediator.username: (row.leading, row.co_mediating)
        for row in response.context["caseload"]
    }
    assert loads["mediator"] == (1, 0)
    assert loads["comediator"] == (0, 1)
    page = response.content.decode()
    assert "Open cases without activity for 14 days" in page
    assert "Safety concern" in page

    bulk_cases(40, referred_by=personas.coordinator, mediator=personas.mediator)
    Case.objects.filter(title__startswith="Spanning").update(
        lead_mediator=None, status=CaseStatus.REFERRED
    )
    # A full queue is read in fewer bands, never in more queries.
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("home"))
    assert len(response.context["queue"]) == 10


def test_a_closed_case_is_never_quiet(client, personas, refer):
    case = in_sessions_case(refer, personas)
    case_transition(case=case, name="withdraw", actor=personas.mediator, reason="Partijen stoppen.")
    CaseActivity.objects.filter(case=case).update(last_at=timezone.now() - timedelta(days=30))
    client.force_login(personas.supervisor)

    assert client.get(reverse("home")).context["quiet"] == []


def test_activity_follows_the_trail_but_not_reading(personas, refer):
    case = in_sessions_case(refer, personas)
    before = CaseActivity.objects.get(case=case).last_at
    note = note_write(case=case, author=personas.mediator, kind="working", title="t", body="b")
    written = CaseActivity.objects.get(case=case).last_at
    note_read(note=note, reader=personas.mediator)

    assert written > before
    assert CaseActivity.objects.get(case=case).last_at == written
    assert Session.objects.count() == 0
