import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db

TRAIL = reverse("audit:trail")
EXPORT = reverse("audit:export")


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("persona", ["coordinator", "mediator", "comediator", "outsider"])
@pytest.mark.parametrize("url", [TRAIL, EXPORT])
def test_only_supervisors_see_or_export_the_trail(client, personas, persona, url):
    client.force_login(getattr(personas, persona))

    response = client.get(url)

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_EXPORTED).exists()


@pytest.mark.parametrize("url", [TRAIL, EXPORT])
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_supervisor_sees_events_newest_first_in_a_captioned_table(client, personas):
    audit_record(action=AuditAction.LOGIN, actor=personas.mediator)
    client.force_login(personas.supervisor)  # records a login too

    response = client.get(TRAIL, HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert "<caption" in content and "2 events, newest first" in content
    events = list(response.context["page"].object_list)
    assert [event.actor_label for event in events] == ["supervisor", "mediator"]


def test_supervisor_filters_by_actor_action_and_days(client, personas):
    audit_record(action=AuditAction.LOGIN, actor=personas.mediator)
    audit_record(action=AuditAction.LOGOUT, actor=personas.mediator)
    audit_record(action=AuditAction.LOGIN, actor=personas.coordinator)
    client.force_login(personas.supervisor)
    today = timezone.localdate().isoformat()

    response = client.get(
        TRAIL, {"actor": "MEDIATOR", "action": "auth.login", "date_from": today, "date_to": today}
    )

    events = list(response.context["page"].object_list)
    assert [(e.actor_label, e.action) for e in events] == [("mediator", "auth.login")]


def test_days_are_whole_days_in_amsterdam_time(client, personas):
    client.force_login(personas.supervisor)

    response = client.get(TRAIL, {"date_from": "2020-01-01", "date_to": "2020-01-01"})

    assert list(response.context["page"].object_list) == []
    assert timezone.get_current_timezone_name() == "Europe/Amsterdam"


def test_a_reversed_date_range_is_explained_and_shows_everything(client, personas):
    client.force_login(personas.supervisor)

    response = client.get(
        TRAIL, {"date_from": "2026-11-20", "date_to": "2026-11-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    content = response.content.decode()
    assert "This date must not be before the start date." in content
    assert 'aria-invalid="true"' in content


def test_an_unknown_action_is_refused_with_a_message(client, personas):
    client.force_login(personas.supervisor)

    response = client.get(TRAIL, {"action": "drop table"})

    assert response.status_code == 200
    assert response.context["form"].errors["action"]


def test_the_trail_pages_with_a_constant_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.supervisor)
    for _ in range(120):
        audit_record(action=AuditAction.LOGIN, actor=personas.mediator)

    # session, user, roles, count and one page of events, however long the trail
    with django_assert_max_num_queries(6):
        first = client.get(TRAIL)
    with django_assert_max_num_queries(6):
        last = client.get(TRAIL, {"page": "3"})

    assert len(first.context["page"].object_list) == 50
    assert len(last.context["page"].object_list) == 21
    assert 'rel="prev"' in last.content.decode()


def test_a_page_number_out_of_range_shows_the_last_page(client, personas):
    client.force_login(personas.supervisor)

    response = client.get(TRAIL, {"page": "999"})

    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_export_is_csv_of_the_filtered_events_and_is_itself_recorded(client, personas):
    audit_record(action=AuditAction.LOGIN, actor=personas.mediator)
    audit_record(action=AuditAction.LOGOUT, actor=personas.mediator)
    client.force_login(personas.supervisor)

    response = client.get(EXPORT, {"action": "auth.logout"})

    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="tafel-audit-')
    rows = read_csv(response)
    assert rows[0][:4] == ["sequence", "occurred_at_utc", "actor", "action"]
    assert [row[3] for row in rows[1:]] == ["auth.logout"]
    exported = AuditEvent.objects.get(action=AuditAction.AUDIT_EXPORTED)
    assert exported.actor == personas.supervisor
    assert exported.details == {"filters": {"action": "auth.logout"}}


def test_export_neutralises_spreadsheet_formulas(client, personas):
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        actor=None,
        actor_label='=HYPERLINK("http://evil.example")',
        details={"username": "=1+1"},
    )
    client.force_login(personas.supervisor)

    rows = read_csv(client.get(EXPORT, {"action": "auth.login_failed"}))

    assert rows[1][2] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][1].endswith("Z")


def test_exported_timestamps_are_utc_with_microseconds(client, personas):
    event = audit_record(action=AuditAction.LOGIN, actor=personas.mediator)
    client.force_login(personas.supervisor)

    rows = read_csv(client.get(EXPORT, {"actor": "mediator"}))

    parsed = datetime.strptime(rows[1][1], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert parsed == event.occurred_at
