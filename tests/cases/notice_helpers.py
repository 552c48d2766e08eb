"""Reading the notices in the outbox, and markers that must never reach one."""

from django.utils import timezone

from cases.services import user_settings_update
from mediation.models import NoticeKind, OutboxMessage
from mediation.outbox import outbox_open
from parties.services import consent_record, participant_add

PARTY_MARKER = "Zwaluwstaart Marker-Partij"
TEXT_MARKER = "MARKER-AFSPRAAK-8KQ: de buren zetten de container elke dinsdag terug."
PLACE_MARKER = "Marker-Buurthuis De Zwaluw, zaal 3"


def notices(kind: str | None = None) -> list[dict]:
    """The queued notices, opened: to whom, subject, text, and the outbox row."""
    found = []
    for message in OutboxMessage.objects.filter(purpose__startswith="notice.").order_by("id"):
        opened = outbox_open(message)
        found.append(
            {
                "to": opened.to[0],
                "subject": opened.subject,
                "body": opened.body,
                "raw": opened.raw.decode("utf-8", "replace"),
                "row": message,
            }
        )
    if kind is None:
        return found
    words = {
        NoticeKind.ASSIGNED: "assigned to case",
        NoticeKind.PARTY_DECLINED: "declined",
        NoticeKind.PARTY_APPROVED: "a party approved",
        NoticeKind.ALL_APPROVED: "all parties approved",
        NoticeKind.FOLLOW_UP_DUE: "follow-up of case",
    }[kind]
    return [notice for notice in found if words in notice["subject"].lower()]


def recipients(kind: str) -> list[str]:
    return sorted(notice["to"] for notice in notices(kind))


def english(*users):
    for user in users:
        user_settings_update(user=user, email_language="en", notices_off=[])


def with_marker_party(on_case, personas):
    """Add a party whose name must never reach a notice (consented: invited to joint sessions)."""
    participation = participant_add(
        case=on_case,
        role="party",
        actor=personas.mediator,
        party_fields={"kind": "person", "name": PARTY_MARKER, "email": "marker@example.nl"},
    )
    consent_record(
        participation=participation,
        signed_on=timezone.localdate(),
        signed_by=PARTY_MARKER,
        actor=personas.mediator,
    )
    return on_case


def assert_nothing_confidential(notice, on_case):
    text = notice["raw"]
    for secret in [PARTY_MARKER, "MARKER-AFSPRAAK", "Marker-Buurthuis", "Jan de Vries"]:
        assert secret not in text
    assert on_case.reference in notice["subject"] and on_case.reference in notice["body"]
    assert on_case.title not in text  # a title may name the parties: left out too
