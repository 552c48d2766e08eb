"""Measure 6: invite generation per invite, and the mediator's calendar feed of 500 sessions.

Both through the app's own code. An invite is built as `scheduling.services.sessions` builds it
when it queues one: the session loaded with its case and organizer, its attendees with their
parties and users (`load_attendees`), then `invite_email` for one attendee and the MIME bytes
that `outbox_enqueue` stores. The feed is fetched through the real view, with a real token
made by `feed_create`, by Django's test client (the full request handler, no HTTP).

"First" is the first request after one of the feed's sessions changed through
`session_reschedule`, which moves the feed's version stamp: the feed is written with icalendar
and stored. "Repeat" is the same request again, as a calendar program that does not send the
ETag back would make it: it is served from the copy stored in the database, as it is for every
such client between two changes. The conditional repeat (If-None-Match, answered 304) is shown
beside it, separately: it is what a well-behaved client costs, not what the target names.
"""

import statistics
import time
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.measures import profile
from scheduling import selectors
from scheduling.invites import Purpose, invite_email
from scheduling.models import Session, SessionStatus
from scheduling.services import feed_create, session_reschedule
from scheduling.services.sessions import load_attendees

INVITES = 200
FEED_BUDGET_S = 30.0


def _sends_to(session: Session, attendee) -> bool:
    """Whom `queue_message` sends an invite: not the organizer, not the removed, an address."""
    if attendee.user_id is not None and attendee.user_id == session.organizer_id:
        return False
    if attendee.removed_at is not None or not attendee.email:
        return False
    return not (attendee.participation_id and attendee.participation.removed_at is not None)


def _build(session: Session, attendee) -> bytes:
    """One invite: the email with its calendar, as the bytes the outbox stores."""
    message = invite_email(session=session, attendee=attendee, purpose=Purpose.INVITE)
    return message.message().as_bytes(linesep="\r\n")


def invite_generation(world, *, invites: int = INVITES, profile_dir: Path | None) -> dict:
    """Measure 6a: median time to build one attendee's invite, over `invites` invites.

    Each sample is one invite's build plus its share of loading the session and its attendees
    (the load is once per session, as in `queue_to_all`). Checks each message: the recipient,
    the session's UID and the REQUEST method are in it.
    """
    pks = list(
        Session.objects.filter(organizer=world.mediator, status=SessionStatus.PLANNED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    samples, sizes, used = [], [], 0
    for pk in pks:
        started = time.perf_counter()
        session = Session.objects.select_related("case", "organizer").get(pk=pk)
        load_attendees(session)
        load = time.perf_counter() - started
        recipients = [a for a in session.attendees.all() if _sends_to(session, a)]
        used += 1
        for attendee in recipients:
            started = time.perf_counter()
            raw = _build(session, attendee)
            samples.append(time.perf_counter() - started + load / len(recipients))
            sizes.append(len(raw))
            if (
                attendee.email.encode() not in raw
                or str(session.uid).encode() not in raw
                or b"method=REQUEST" not in raw
            ):
                raise RuntimeError(f"the invite to attendee {attendee.pk} is not one")
        if len(samples) >= invites:
            break
    if len(samples) < invites:
        raise RuntimeError(f"only {len(samples)} invites to build, not {invites}")
    if profile_dir:
        session = Session.objects.select_related("case", "organizer").get(pk=pks[0])
        load_attendees(session)
        attendee = next(a for a in session.attendees.all() if _sends_to(session, a))
        fifty = lambda: [_build(session, attendee) for _ in range(50)]  # noqa: E731
        profile(fifty, profile_dir / "6-invite-50.prof")
    ordered = sorted(samples)
    return {
        "invites": len(samples),
        "sessions": used,
        "ms": 1000 * statistics.median(samples),
        "p90_ms": 1000 * ordered[int(0.9 * (len(ordered) - 1))],
        "bytes": statistics.median(sizes),
    }


def _events(content: bytes) -> int:
    return content.count(b"\r\nBEGIN:VEVENT\r\n")


def _timed_get(client: Client, url: str, **headers):
    """Wall time and this process's CPU time of one request, and the response.

    The view runs in this process (the test client), so its CPU time is the request's own
    work, PostgreSQL's aside: other work on a shared machine changes it much less than the
    wall time.
    """
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, **headers)
    return time.perf_counter() - started, time.process_time() - cpu, response


def feed(world, *, runs: int, profile_dir: Path | None) -> dict:
    """Measure 6b: the mediator's feed through the real view, first and repeat request.

    Each run changes one of the feed's sessions with `session_reschedule` (a new ETag), then
    times the first GET (written and stored), a plain repeat GET (the stored copy) and a
    conditional repeat (If-None-Match). Checks: a 200 with one VEVENT per session of the feed,
    the repeat identical to the first, a 304 for the conditional one, and an ETag that changed
    with the session.
    """
    mediator = world.mediator
    expected = len(selectors.feed_sessions(user=mediator))
    if expected != world.mediator_sessions:
        raise RuntimeError(f"the feed holds {expected} sessions, not {world.mediator_sessions}")
    url = reverse("scheduling:feed", args=[feed_create(user=mediator)])
    # A calendar program: no login, no cookies, no language preference.
    client = Client(HTTP_HOST="127.0.0.1")
    changing = list(
        Session.objects.filter(organizer=mediator, status=SessionStatus.PLANNED)
        .select_related("case", "organizer")
        .order_by("pk")[:runs]
    )
    client.get(url)  # warm up the process (imports, catalogues), as in the other measures

    def change(number: int) -> None:
        session = changing[number % len(changing)]
        session_reschedule(
            session=session,
            actor=mediator,
            accessibility_notes=f"Ingang aan de zijkant, bel aan bij de balie ({number}).",
        )

    first, repeat, conditional = [], [], []
    etag, queries, repeat_queries, size = None, 0, 0, 0
    cpu = {"first": [], "repeat": [], "conditional": []}
    started = time.perf_counter()
    for number in range(runs):
        change(number)
        if number == 0:
            with CaptureQueriesContext(connection) as captured:
                elapsed, used, response = _timed_get(client, url)
            queries = len(captured.captured_queries)
        else:
            elapsed, used, response = _timed_get(client, url)
        if response.status_code != 200 or _events(response.content) != expected:
            raise RuntimeError(
                f"the feed answered {response.status_code} with "
                f"{_events(response.content)} events, not 200 with {expected}"
            )
        if response["ETag"] == etag:
            raise RuntimeError("the feed's ETag did not change with its session")
        etag, size, body = response["ETag"], len(response.content), response.content
        first.append(elapsed)
        cpu["first"].append(used)
        if number == 0:
            with CaptureQueriesContext(connection) as captured:
                elapsed, used, response = _timed_get(client, url)
            repeat_queries = len(captured.captured_queries)
        else:
            elapsed, used, response = _timed_get(client, url)
        if response.status_code != 200 or response.content != body:
            raise RuntimeError("the repeat request did not answer the same feed")
        repeat.append(elapsed)
        cpu["repeat"].append(used)
        elapsed, used, response = _timed_get(client, url, HTTP_IF_NONE_MATCH=etag)
        if response.status_code != 304:
            raise RuntimeError(f"the conditional repeat answered {response.status_code}, not 304")
        conditional.append(elapsed)
        cpu["conditional"].append(used)
        if time.perf_counter() - started > FEED_BUDGET_S and number >= 2:
            break  # a slow feed gets fewer samples (at least 3), as the pages do
    if profile_dir:
        change(runs)
        profile(lambda: client.get(url), profile_dir / "6-feed-first.prof")
        profile(lambda: client.get(url), profile_dir / "6-feed-repeat.prof")
    return {
        "sessions": expected,
        "bytes": size,
        "queries": queries,
        "repeat_queries": repeat_queries,
        "runs": len(first),
        "first_ms": 1000 * statistics.median(first),
        "repeat_ms": 1000 * statistics.median(repeat),
        "conditional_ms": 1000 * statistics.median(conditional),
        "cpu_ms": {name: 1000 * statistics.median(values) for name, values in cpu.items()},
        "samples_ms": {
            "first": [round(1000 * s, 2) for s in first],
            "repeat": [round(1000 * s, 2) for s in repeat],
            "conditional": [round(1000 * s, 2) for s in conditional],
        },
    }
