"""What a client reads back: exactly the referring coordinator's view of status, dates and
outcome, and nothing of what was said or written (planted markers must never come back)."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from agreements.services import agreement_write, summary_write
from cases.models import CaseStatus, NoteKind, Outcome
from cases.services import case_assign, case_transition, conflict_declare, note_write
from mediation.models import HttpDelivery
from parties.services import participant_add
from tests.api.conftest import REFERRALS, link, referral_body, referral_url
from tests.cases.agreement_helpers import to_agreement

pytestmark = pytest.mark.django_db


def coordinator_page(case, user) -> str:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(user)
    response = browser.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def facts(page: str) -> str:
    """The 'Status and dates' panel and the history, as text."""
    start = page.index('id="facts-heading"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start:]))


def assert_matches_coordinator_view(read: dict, case, user) -> None:
    page = facts(coordinator_page(case, user))
    assert read["status"] == case.status
    assert str(CaseStatus(read["status"]).label) in page
    assert read["referred_on"] == case.referred_on.isoformat()
    assert date_format(case.referred_on, "j F Y") in page
    if read["outcome"]:
        assert f"Outcome {Outcome(read['outcome']).label}" in page
        assert f"End date {date_format(case.ended_on, 'j F Y')}" in page
    else:
        assert "Outcome" not in page.split("History")[0]
    history = [(change["status"], change["on"]) for change in read["status_history"]]
    shown = [
        (change.to_status, timezone.localdate(change.changed_at).isoformat())
        for change in case.status_changes.all()
    ]
    assert history == shown
    for status, _on in history:
        assert str(CaseStatus(status).label) in page


def test_a_declined_referral_reads_back_as_the_coordinator_sees_it(caller, kind, personas):
    case_id = caller.post(REFERRALS, referral_body(kind)).json()["id"]
    case = caller.client.referrals.get().case
    assert_matches_coordinator_view(
        caller.get(referral_url(case_id)).json(), case, personas.coordinator
    )

    case_transition(case=case, name="decline", actor=personas.supervisor, reason="Niet passend.")

    read = caller.get(referral_url(case_id)).json()
    case.refresh_from_db()
    assert read["status"] == "closed" and read["outcome"] == "declined"
    assert read["ended_on"] == timezone.localdate().isoformat()
    assert_matches_coordinator_view(read, case, personas.coordinator)


def test_a_withdrawn_case_reads_back_with_every_step(caller, in_sessions, personas):
    link(in_sessions, caller)
    case = case_transition(
        case=in_sessions, name="withdraw", actor=personas.mediator, reason="Partij stopt."
    )

    read = caller.get(referral_url(case.pk)).json()

    assert [change["status"] for change in read["status_history"]] == [
        "intake",
        "sessions",
        "closed",
    ]
    assert read["outcome"] == "withdrawn"
    assert_matches_coordinator_view(read, case, personas.coordinator)
    listed = caller.get(REFERRALS).json()["results"]
    assert listed == [read]


MARKERS = {
    "title": "MARKER-TITLE-7f3a",
    "reason": "MARKER-REASON-7f3a",
    "woo": "MARKER-WOO-7f3a",
    "party": "MARKER-PARTY-NAME-7f3a",
    "email": "marker-email-7f3a@example.nl",
    "organisation": "MARKER-PARTY-ORG-7f3a",
    "phone": "0612347f3a",
    "address": "MARKER-ADDRESS-7f3a",
    "note_title": "MARKER-NOTE-TITLE-7f3a",
    "note": "MARKER-NOTE-BODY-7f3a",
    "agreement": "MARKER-AGREEMENT-7f3a",
    "summary": "MARKER-SUMMARY-7f3a",
}


def test_no_response_holds_any_planted_content(caller, kind, personas, make_caller):
    webhook = caller.post("/api/v1/webhooks/", {"url": "https://hooks.example.nl/tafel"})
    body = referral_body(
        kind,
        title=MARKERS["title"],
        referral_reason=MARKERS["reason"],
        woo_note=MARKERS["woo"],
        parties=[
            {"name": MARKERS["party"], "email": MARKERS["email"]},
            {"name": "Gemeente", "kind": "government", "organisation": MARKERS["organisation"]},
        ],
    )
    created = caller.post(REFERRALS, body)
    case = caller.client.referrals.get().case
    case_assign(case=case, lead=personas.mediator, co_mediators=[], actor=personas.supervisor)
    conflict_declare(case=case, mediator=personas.mediator, declaration="no_conflict")
    case = case_transition(case=case, name="accept", actor=personas.mediator)
    participant_add(
        case=case,
        role="party",
        actor=personas.mediator,
        party_fields={
            "kind": "person",
            "name": "Derde partij",
            "phone": MARKERS["phone"],
            "postal_address": MARKERS["address"],
            "preferred_language": "nl",
        },
    )
    note_write(
        case=case,
        author=personas.mediator,
        kind=NoteKind.DOSSIER,
        title=MARKERS["note_title"],
        body=MARKERS["note"],
    )
    case = to_agreement(case)
    agreement_write(case=case, text=MARKERS["agreement"], actor=personas.mediator)
    summary_write(case=case, text=MARKERS["summary"], actor=personas.mediator)

    responses = [
        created,
        caller.get(REFERRALS),
        caller.get(REFERRALS, {"status": "agreement"}),
        caller.get(referral_url(case.pk)),
        make_caller(name="Ander systeem").get(referral_url(case.pk)),
        caller.post(REFERRALS, {**body, "parties": [{"name": MARKERS["party"], "email": "x"}]}),
    ]

    assert [r.status_code for r in responses] == [201, 200, 200, 200, 404, 400]
    for response in [*responses, webhook]:
        text = response.content.decode()
        for name, marker in MARKERS.items():
            assert marker.lower() not in text.lower(), (name, response.request["PATH_INFO"])
    # Nor any event sent to the client's webhook, one per recorded step.
    events = [json.dumps(body) for body in HttpDelivery.objects.values_list("body", flat=True)]
    assert events and len(events) == case.status_changes.count()
    for event in events:
        for name, marker in MARKERS.items():
            assert marker.lower() not in event.lower(), name


def test_the_list_reads_in_a_fixed_number_of_queries(caller, kind):
    def count(referrals: int) -> int:
        while caller.client.referrals.count() < referrals:
            caller.post(REFERRALS, referral_body(kind))
        with CaptureQueriesContext(connection) as queries:
            response = caller.get(REFERRALS)
        assert len(response.json()["results"]) == referrals
        return len(queries)

    assert count(2) == count(9)


def test_the_list_never_takes_more_than_a_few_queries(caller, kind, django_assert_max_num_queries):
    for _ in range(6):
        caller.post(REFERRALS, referral_body(kind))

    # The client and its coordinator's roles, the page of cases, their status changes, and
    # the call's audit event (8 on SQLite; PostgreSQL adds the chain's lock).
    with django_assert_max_num_queries(10):
        response = caller.get(REFERRALS)

    assert len(response.json()["results"]) == 6


def test_the_list_is_filtered_and_paged_by_cursor(caller, kind, personas):
    ids = [caller.post(REFERRALS, referral_body(kind)).json()["id"] for _ in range(5)]
    declined = caller.client.referrals.get(case_id=ids[0]).case
    case_transition(case=declined, name="decline", actor=personas.supervisor, reason="Nee.")

    first = caller.get(REFERRALS, {"page_size": 2}).json()
    second = caller.http.get(first["next"]).json()
    closed = caller.get(REFERRALS, {"status": "closed"}).json()["results"]
    open_ = caller.get(REFERRALS, {"status": ["referred", "intake"]}).json()["results"]
    today = timezone.localdate().isoformat()

    assert [r["id"] for r in first["results"]] == ids[::-1][:2]
    assert [r["id"] for r in second["results"]] == ids[::-1][2:4]
    assert [r["id"] for r in closed] == [ids[0]]
    assert len(open_) == 4
    assert caller.get(REFERRALS, {"outcome": "declined"}).json()["results"] == closed
    assert len(caller.get(REFERRALS, {"referred_from": today}).json()["results"]) == 5
    assert caller.get(REFERRALS, {"referred_until": "2000-01-01"}).json()["results"] == []


@pytest.mark.parametrize(
    "query",
    [
        {"status": "open"},
        {"referred_from": "yesterday"},
        {"referred_from": "2026-02-01", "referred_until": "2026-01-01"},
        {"cursor": "not-a-cursor"},
    ],
)
def test_a_bad_filter_or_cursor_is_refused_in_json(caller, query):
    response = caller.get(REFERRALS, query)

    assert response.status_code in (400, 404)
    assert response.json()
