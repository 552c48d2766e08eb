"""A case with a hostile payload in every free-text field, and a crawler over Tafel's pages.

Shared by the page-level sweeps of tests/security: the Content-Security-Policy on every page
and the escaping of every planted payload (issue 17, points 6 and 9).
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urljoin, urlparse

import pytest
from django.test import Client
from django.utils import timezone

from agreements.services import action_add, agreement_write, summary_write
from agreements.services.approvals import approval_token
from cases.models import Declaration
from cases.services import (
    case_assign,
    case_transition,
    conflict_acceptance_record,
    conflict_declare,
    note_write,
)
from parties.services import consent_record, referral_make
from scheduling.rsvp import rsvp_token
from scheduling.services.sessions import session_schedule
from tests.cases.agreement_helpers import to_agreement


def payload(name: str) -> str:
    """A script tag and an attribute break-out, both naming the field they were typed in."""
    return f'<script>xss("{name}")</script>"><img src=x onerror=xss("{name}")>'


# What must never reach a page unescaped: the start of either half of a payload.
RAW = ("<script>xss(", "<img src=x onerror=xss(")


def escaped(name: str) -> str:
    return f"&lt;script&gt;xss(&quot;{name}&quot;)&lt;/script&gt;"


@dataclass
class Planted:
    case: object
    fields: list[str]
    public_paths: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def planted(personas, kind) -> Planted:
    """A case in sessions with an agreement draft, a payload in each text a user can type."""
    mediator = personas.mediator
    case = referral_make(
        referred_by=personas.coordinator,
        kind=kind,
        title=payload("case.title"),
        referring_organisation=payload("case.referring_organisation"),
        referral_reason=payload("case.referral_reason"),
        urgency="normal",
        safety_concern=False,
        woo_note=payload("case.woo_note"),
        parties=[
            {
                "kind": "person",
                "name": payload("party.name"),
                "email": "jan.devries@example.nl",
                "other_needs": payload("party.other_needs"),
            },
            {"kind": "government", "name": "Gemeente", "organisation": payload("party.org")},
        ],
    )
    case = case_assign(
        case=case, lead=mediator, co_mediators=[personas.comediator], actor=personas.supervisor
    )
    conflict_declare(case=case, mediator=mediator, declaration=Declaration.NO_CONFLICT)
    disclosed = conflict_declare(
        case=case,
        mediator=personas.comediator,
        declaration=Declaration.DISCLOSED,
        disclosure=payload("declaration.disclosure"),
    )
    conflict_acceptance_record(
        declaration=disclosed, accepted_on=timezone.localdate(), actor=mediator
    )
    case = case_transition(case=case, name="accept", actor=mediator)
    for participation in case.participations.active():
        consent_record(
            participation=participation,
            signed_on=timezone.localdate(),
            signed_by=payload("consent.signed_by") if participation.is_party else "",
            actor=mediator,
        )
    note_write(
        case=case,
        author=mediator,
        kind="dossier",
        title=payload("note.title"),
        body=payload("note.body"),
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=7)
    session = session_schedule(
        case=case,
        kind="joint",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        actor=mediator,
        place=payload("session.place"),
        accessibility_notes=payload("session.accessibility_notes"),
        participations=list(case.participations.active()),
    )
    case = to_agreement(case)
    agreement = agreement_write(case=case, text=payload("agreement.text"), actor=mediator)
    participation = case.participations.active().filter(party__kind="person").first()
    action_add(
        agreement=agreement,
        description=payload("action.description"),
        owner=participation,
        due_on=timezone.localdate() + timedelta(days=14),
        actor=mediator,
    )
    summary_write(case=case, text=payload("summary.text"), actor=mediator)
    attendee = session.attendees.filter(participation=participation).get()
    session.refresh_from_db()
    agreement.refresh_from_db()  # the action made a new version: the link names it
    return Planted(
        case=case,
        fields=[
            "case.title",
            "case.referring_organisation",
            "case.referral_reason",
            "case.woo_note",
            "party.name",
            "party.other_needs",
            "party.org",
            "declaration.disclosure",
            "consent.signed_by",
            "note.title",
            "note.body",
            "session.place",
            "session.accessibility_notes",
            "agreement.text",
            "action.description",
            "summary.text",
        ],
        public_paths={
            "rsvp": "/invite/" + rsvp_token(attendee, sequence=session.sequence) + "/",
            "approval": "/cases/agreement/answer/"
            + approval_token(agreement=agreement, participation=participation)
            + "/",
        },
    )


# Links a crawler must not follow: they act, download or leave the page's purpose.
SKIP = re.compile(r"(logout|/export\.csv|\.ics$|/dev/mailbox/.+/\d+/$|/admin/|/feed/)")
HREF = re.compile(r'href="([^"#]*)')


@dataclass
class Visit:
    path: str
    response: object

    @property
    def html(self) -> str:
        return self.response.content.decode()


def crawl(client: Client, start: list[str], limit: int = 150) -> list[Visit]:
    """GET every page reached from `start` through the links on each page, breadth first."""
    seen: list[str] = []
    queue = list(start)
    visits = []
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        response = client.get(path)
        visits.append(Visit(path, response))
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        for href in HREF.findall(response.content.decode()):
            url = urlparse(urljoin(path, href.replace("&amp;", "&")))
            if url.netloc or SKIP.search(url.path) or not url.path.startswith("/"):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen and target not in queue:
                queue.append(target)
    return visits


@pytest.fixture
def crawl_as(planted, personas):
    """Every page a persona reaches from the home page, in English."""

    def visit(persona: str) -> list[Visit]:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(getattr(personas, persona))
        return crawl(client, ["/", f"/cases/{planted.case.pk}/"])

    return visit
