"""The mediator's to-do list and the board of cases; moving a case on from the board."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, CaseStatus
from tests.cases.test_list import bulk_cases
from tests.dashboard.conftest import in_sessions_case

pytestmark = pytest.mark.django_db


def test_the_todo_list_holds_every_due_thing_earliest_first(client, personas, busy_day):
    client.force_login(personas.mediator)

    response = client.get(reverse("dashboard:todo"))

    items = response.context["items"]
    kinds = [item.kind for item in items]
    # Undated first (declaration, approvals), then by date: the overdue action, the overdue
    # follow-up, tomorrow's two invites, and the action due in two weeks.
    assert kinds == [
        "declaration",
        "approvals",
        "action",
        "follow_up",
        "invite",
        "invite",
        "action",
    ]
    dated = [item.due for item in items if item.due]
    assert dated == sorted(dated)
    page = response.content.decode()
    assert reverse("cases:declare", args=[busy_day["undeclared"].pk]) in page
    assert "Overdue" in page


def test_only_mediators_have_a_todo_list(client, personas):
    client.force_login(personas.coordinator)
    assert client.get(reverse("dashboard:todo")).status_code == 403
    client.logout()
    assert client.get(reverse("dashboard:todo")).status_code == 302


def test_an_empty_todo_list_says_so(client, personas):
    client.force_login(personas.outsider)

    response = client.get(reverse("dashboard:todo"))

    assert "Nothing to do" in response.content.decode()


def test_the_board_shows_the_mediators_open_cases_by_status(client, personas, busy_day):
    client.force_login(personas.mediator)

    response = client.get(reverse("dashboard:board"))

    columns = {column.status: column for column in response.context["columns"]}
    assert list(columns) == ["referred", "intake", "sessions", "agreement", "follow_up"]
    assert [c.pk for c in columns["referred"].cases] == [busy_day["undeclared"].pk]
    assert [c.pk for c in columns["sessions"].cases] == [busy_day["sessions"].pk]
    assert [c.pk for c in columns["follow_up"].cases] == [busy_day["overdue"].pk]
    # Each case the mediator may move has its step as a labelled button.
    page = response.content.decode()
    assert 'Accept the case<span class="sr-only">: ' in page
    assert "Record that the parties reached an agreement" in page


def test_the_outsider_sees_an_empty_board_and_the_coordinator_none(client, personas, busy_day):
    client.force_login(personas.outsider)
    columns = client.get(reverse("dashboard:board")).context["columns"]
    assert all(column.cases == [] for column in columns)
    client.force_login(personas.coordinator)
    assert client.get(reverse("dashboard:board")).status_code == 403


def test_the_supervisor_sees_every_open_case_without_step_buttons(client, personas, busy_day):
    client.force_login(personas.supervisor)

    response = client.get(reverse("dashboard:board"))

    shown = {case.pk for column in response.context["columns"] for case in column.cases}
    assert busy_day["undeclared"].pk in shown
    assert response.context["movable"] == set()
    assert "/transition/" not in response.content.decode()


def test_a_step_from_the_board_runs_the_guards_and_says_what_is_missing(client, personas, busy_day):
    client.force_login(personas.mediator)
    case = busy_day["undeclared"]
    board = reverse("dashboard:board")

    response = client.post(
        reverse("cases:transition", args=[case.pk]),
        {"name": "accept", "expected_status": "referred", "next": board + "#column-referred"},
    )

    # Refused: the case page with what is missing (409) and a way back to the board.
    assert response.status_code == 409
    assert f'href="{board}#column-referred"' in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REFERRED
    messages = [str(m) for m in response.context["messages"]]
    assert messages and all(m.startswith(f"{case.reference}: ") for m in messages)
    assert any("declar" in m.lower() for m in messages)


def test_a_step_from_the_board_moves_the_case_and_returns_to_the_board(client, personas, refer):
    case = in_sessions_case(refer, personas)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.INTAKE)
    client.force_login(personas.mediator)

    response = client.post(
        reverse("cases:transition", args=[case.pk]),
        {"name": "start_sessions", "expected_status": "intake", "next": "/board/"},
        follow=True,
    )

    assert Case.objects.get(pk=case.pk).status == CaseStatus.SESSIONS
    assert response.request["PATH_INFO"] == "/board/"
    assert f"{case.reference}: The case was updated" in response.content.decode()


def test_the_board_never_sends_a_user_to_another_site(client, personas, refer):
    case = in_sessions_case(refer, personas)
    client.force_login(personas.mediator)

    response = client.post(
        reverse("cases:transition", args=[case.pk]),
        {"name": "nonsense", "expected_status": "sessions", "next": "https://evil.example/"},
    )

    assert response.status_code == 409
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize("persona", ["mediator", "supervisor"])
def test_the_board_runs_the_same_queries_for_few_cases_or_many(
    client, personas, busy_day, persona, django_assert_max_num_queries
):
    client.force_login(getattr(personas, persona))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboard:board"))
    bulk_cases(60, referred_by=personas.coordinator, mediator=personas.mediator)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("dashboard:board"))

    intake = next(c for c in response.context["columns"] if c.status == "intake")
    assert len(intake.cases) == 25 and intake.more
