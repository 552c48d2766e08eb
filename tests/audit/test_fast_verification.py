"""The fast verification path against the reference: the same bytes, the same verdicts.

A trail holds every kind of value the fast path must get right: unicode, nested details, keys
that PostgreSQL's jsonb keeps in another order, empty actor, case and address, times on the
microsecond edges, and times stored with an offset of their own. Every event is hashed as the
ORM reads it (chain.event_hash, the definition), as audit_record would have hashed it.
"""

import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DataError, connection

from audit.chain import event_hash
from audit.models import GENESIS_HASH, AuditAction, AuditEvent
from audit.services import audit_record
from audit.triggers import append_only_triggers_remove
from audit.verification import (
    ChainReport,
    audit_chain_verify,
    fast_canonical_bytes,
    reference_canonical_bytes,
    stored_rows,
)

pytestmark = pytest.mark.django_db

FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "case_id",
    "client_address",
    "details",
    "prev_hash",
    "hash",
)
DETAILS = {
    "empty": {},
    "unicode": {
        "name": "Zoë d'Hondt",
        "quote": 'she said "no"\\ and left',
        "dove": "🕊️",
        "arabic": "سلام",
        "controls": "tab\there, line\nbreak, bell\x07, separator\u2028",
    },
    "nested": {"nested": {"b": [1, None, True, False, {"z": [], "a": {}}], "a": "x"}, "": "-"},
    # jsonb orders keys by length first; the canonical form by code point.
    "key order": {"bb": 1, "a": 2, "ab": 3, "B": 4, "é": 5, "z": -(2**63), "big": 2**70},
    "escapes as text": {"list": ["ä", "\\u00e9 is not é", "/"]},
}
# Times written by Django itself (through the ORM), as aware datetimes in various zones.
ORM_TIMES = {
    "on the second": datetime(2026, 11, 28, 14, 39, tzinfo=UTC),
    "one microsecond": datetime(2026, 11, 28, 14, 39, 0, 1, tzinfo=UTC),
    "last microsecond": datetime(2026, 11, 28, 14, 39, 59, 999_999, tzinfo=UTC),
    "first year the fast path takes": datetime(1000, 1, 1, tzinfo=UTC),
    "last moment": datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    "Amsterdam, the hour that repeats": datetime(
        2026, 10, 25, 2, 30, 0, 500_000, tzinfo=ZoneInfo("Europe/Amsterdam"), fold=1
    ),
    "Kathmandu": datetime(2026, 3, 1, 5, 45, 0, 123_456, tzinfo=timezone(timedelta(hours=5.75))),
}
# Times stored as text the ORM does not write, as an older writer or a hand might have.
SQLITE_TEXTS = {
    "offset +02:00": "2026-03-29 03:30:00.250000+02:00",
    "offset written out as +00:00": "2026-03-29 01:30:00+00:00",
    "negative half-hour offset with T": "2026-10-25T02:30:00.000001-09:30",
    "Z": "2026-11-28T14:39:00Z",
    "before the year 1000": "0999-01-02 03:04:05.000006",
    # Short fields: only the regular expression of Django's parse_datetime reads them.
    "left to the reference": "2026-3-9 4:05:06.5",
}
POSTGRESQL_TEXTS = {
    "offset +02:00": "2026-03-29 03:30:00.25+02",
    # The server writes the year with four digits, strftime with three.
    "left to the reference": "0999-01-02 03:04:05.000006+00",
}
# The one event of the trail whose canonical form the fast path leaves to the reference.
DEFERRED = "left to the reference"


def _next_sequence() -> int:
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    return (head or 0) + 1


def _add(**fields) -> int:
    """Append an event through the ORM, unhashed: rechain() hashes it."""
    sequence = _next_sequence()
    AuditEvent.objects.create(
        **{
            "sequence": sequence,
            "occurred_at": datetime(2026, 11, 28, 12, tzinfo=UTC),
            "actor_label": "system",
            "action": AuditAction.LOGIN.value,
            "prev_hash": f"unhashed {sequence}",
            "hash": "",
            **fields,
        }
    )
    return sequence


# Raw SQL, to store what the ORM would not write (the append-only triggers are dropped).
SET = {
    "occurred_at": {
        "sqlite": "UPDATE audit_auditevent SET occurred_at = %s WHERE sequence = %s",
        "postgresql": (
            "UPDATE audit_auditevent SET occurred_at = CAST(%s AS timestamptz) WHERE sequence = %s"
        ),
    },
    "details": {
        "sqlite": "UPDATE audit_auditevent SET details = %s WHERE sequence = %s",
        "postgresql": "UPDATE audit_auditevent SET details = CAST(%s AS jsonb) WHERE sequence = %s",
    },
    "actor_label": {
        "sqlite": "UPDATE audit_auditevent SET actor_label = %s WHERE sequence = %s",
        "postgresql": "UPDATE audit_auditevent SET actor_label = %s WHERE sequence = %s",
    },
}


def _set(sequence: int, column: str, text: str) -> None:
    """Store the event's `column` exactly as `text` (PostgreSQL: the value `text` names)."""
    with connection.cursor() as cursor:
        cursor.execute(SET[column][connection.vendor], [text, sequence])


def rechain() -> None:
    """Link and hash every event as the ORM reads it, as audit_record would have."""
    prev_hash = GENESIS_HASH
    for pk, *values in list(AuditEvent.objects.order_by("sequence").values_list("pk", *FIELDS)):
        fields = dict(zip(FIELDS, values, strict=True))
        del fields["hash"]
        fields["prev_hash"] = prev_hash
        prev_hash = event_hash(**fields)
        AuditEvent.objects.filter(pk=pk).update(prev_hash=fields["prev_hash"], hash=prev_hash)


@pytest.fixture
def trail(personas) -> dict[str, int]:
    """Events with every kind of stored value, hashed into one chain: their sequences by name."""
    names = {}
    for name, details in DETAILS.items():
        names[f"details: {name}"] = audit_record(
            action=AuditAction.NOTE_READ,
            actor=personas.mediator,
            target=personas.supervisor,
            case_id=2**62,
            details=details,
            client_address="2001:DB8::1",
        ).sequence
    names["nobody, nothing, nowhere"] = audit_record(
        action=AuditAction.LOGIN_FAILED, actor=None, actor_label="Zoë", client_address=None
    ).sequence
    names["IPv4"] = audit_record(
        action=AuditAction.LOGIN, actor=personas.supervisor, client_address="192.0.2.1"
    ).sequence
    append_only_triggers_remove(connection)  # to store what the ORM does not write, and hash it
    for name, moment in ORM_TIMES.items():
        names[name] = _add(occurred_at=moment, details={"time": name})
    texts = POSTGRESQL_TEXTS if connection.vendor == "postgresql" else SQLITE_TEXTS
    for name, text in texts.items():
        names[name] = _add()
        _set(names[name], "occurred_at", text)
    rechain()
    return names


def reference_verify(expect_head: tuple[int, str] | None = None) -> ChainReport:
    """The verification as it was before the fast path: every event through the ORM and
    chain.event_hash. The oracle the fast path must agree with, problem texts included."""
    expected, prev_hash, verified = 1, GENESIS_HASH, 0
    for row in AuditEvent.objects.order_by("sequence").values_list(*FIELDS):
        fields = dict(zip(FIELDS, row, strict=True))
        sequence, stored_hash = fields.pop("sequence"), fields.pop("hash")
        if sequence != expected:
            problem = (
                expected,
                f"event {expected} is missing (the next event is {sequence}): events were deleted",
            )
        elif fields["prev_hash"] != prev_hash:
            problem = (
                sequence,
                f"event {sequence} does not link to event {sequence - 1}: "
                "an event was inserted, replaced or deleted",
            )
        elif event_hash(sequence=sequence, **fields) != stored_hash:
            problem = (
                sequence,
                f"event {sequence} does not match its hash: its contents were edited",
            )
        elif expect_head and sequence == expect_head[0] and stored_hash != expect_head[1]:
            problem = (
                sequence,
                f"event {sequence} differs from the head recorded earlier: the chain was rewritten",
            )
        else:
            prev_hash, expected, verified = stored_hash, expected + 1, verified + 1
            continue
        return ChainReport(verified, expected - 1, prev_hash, *problem)
    if expect_head and expect_head[0] > verified:
        return ChainReport(
            verified,
            verified,
            prev_hash,
            verified + 1,
            f"the chain ends at event {verified}, before the head {expect_head[0]} recorded "
            "earlier: events were cut off the end",
        )
    return ChainReport(verified, verified, prev_hash)


def test_fast_bytes_equal_the_reference_for_every_kind_of_stored_value(trail):
    rows = list(stored_rows(using="default"))

    assert len(rows) == AuditEvent.objects.count() == len(trail)
    for row in rows:
        fast = fast_canonical_bytes(row, vendor=connection.vendor)
        reference = reference_canonical_bytes(sequence=row[0], using="default")
        if row[0] == trail[DEFERRED]:
            assert fast is None, reference
        else:
            assert fast == reference


def test_a_trail_with_every_kind_of_stored_value_verifies(trail, django_assert_num_queries):
    # One read of the whole trail, one that finds nothing more, and one ORM read of the event
    # the fast path leaves to the reference.
    with django_assert_num_queries(3):
        report = audit_chain_verify()

    assert report == reference_verify()
    assert report.intact and report.verified == len(trail)


def _details_reordered(trail):
    sequence = trail["details: key order"]
    details = AuditEvent.objects.get(sequence=sequence).details
    _set(sequence, "details", json.dumps(dict(reversed(details.items()))))


def _details_one_letter(trail):
    sequence = trail["details: unicode"]
    text = json.dumps(DETAILS["unicode"] | {"name": "Zoe d'Hondt"}, ensure_ascii=False)
    _set(sequence, "details", text)


def _label_decomposed(trail):
    # The same name to the eye, another sequence of code points: another event.
    _set(trail["nobody, nothing, nowhere"], "actor_label", "Zoe\u0308")


def _a_microsecond_later(trail):
    sequence = trail["last microsecond"]
    moment = ORM_TIMES["last microsecond"] + timedelta(microseconds=1)
    AuditEvent.objects.filter(sequence=sequence).update(occurred_at=moment)


def _same_moment_in_another_zone(trail):
    sequence = trail["Kathmandu"]
    moment = ORM_TIMES["Kathmandu"].astimezone(ZoneInfo("America/St_Johns"))
    AuditEvent.objects.filter(sequence=sequence).update(occurred_at=moment)


def _deferred_time_edited(trail):
    if connection.vendor == "postgresql":
        _set(trail[DEFERRED], "occurred_at", "0999-01-02 03:04:05.000007+00")
    else:
        _set(trail[DEFERRED], "occurred_at", "2026-3-9 4:05:06.6")


def _actor_removed(trail):
    AuditEvent.objects.filter(sequence=trail["details: nested"]).update(actor=None)


def _case_removed(trail):
    AuditEvent.objects.filter(sequence=trail["details: empty"]).update(case_id=None)


def _address_changed(trail):
    AuditEvent.objects.filter(sequence=trail["IPv4"]).update(client_address="192.0.2.2")


def _event_deleted(trail):
    AuditEvent.objects.filter(sequence=trail["on the second"]).delete()


# Each edit, and the event the verification must then name (None: the chain still holds).
EDITS = {
    "nothing": (lambda trail: None, None),
    "details in another key order": (_details_reordered, None),
    "one letter of the details": (_details_one_letter, "details: unicode"),
    "a name decomposed into other code points": (_label_decomposed, "nobody, nothing, nowhere"),
    "a microsecond later": (_a_microsecond_later, "last microsecond"),
    "the same moment in another zone": (_same_moment_in_another_zone, None),
    "a time only the reference reads": (_deferred_time_edited, DEFERRED),
    "the actor removed": (_actor_removed, "details: nested"),
    "the case removed": (_case_removed, "details: empty"),
    "another address": (_address_changed, "IPv4"),
    "an event deleted": (_event_deleted, "on the second"),
}


@pytest.mark.parametrize(("edit", "broken"), EDITS.values(), ids=EDITS.keys())
def test_fast_verification_reports_what_the_reference_reports(trail, edit, broken):
    edit(trail)

    report = audit_chain_verify()

    assert report == reference_verify()
    assert report.broken_at == (trail[broken] if broken else None)


@pytest.mark.parametrize(
    ("text", "intact"),
    [
        ("2026-03-29 01:30:00.250000", True),  # the same moment, as Django writes it
        ("2026-03-29 03:30:00.250000+01:00", False),  # another offset: another moment
        ("2026-03-29 03:30:00.25+02:00", True),  # the same moment, spelt shorter
        ("2026-03-29 03:30:00.250001+02:00", False),
    ],
)
@pytest.mark.sqlite  # PostgreSQL stores a moment, not the text it was given
def test_sqlite_times_stored_with_an_offset_are_read_as_django_reads_them(trail, text, intact):
    _set(trail["offset +02:00"], "occurred_at", text)

    report = audit_chain_verify()

    assert report == reference_verify()
    assert report.intact is intact


def test_an_expected_head_on_an_unusual_event_is_checked_alike(trail):
    sequence = trail["Amsterdam, the hour that repeats"]
    head = (sequence, AuditEvent.objects.get(sequence=sequence).hash)

    assert audit_chain_verify(expect_head=head) == reference_verify(expect_head=head)
    assert audit_chain_verify(expect_head=(sequence, "0" * 64)).broken_at == sequence


def test_verification_needs_times_stored_as_utc(settings):
    settings.USE_TZ = False

    with pytest.raises(ImproperlyConfigured, match="USE_TZ"):
        audit_chain_verify()


@pytest.mark.postgresql
def test_a_time_moved_to_its_twin_before_christ_is_not_taken_for_the_original(trail):
    # The server writes both years as 2026; only the era tells them apart. Python has no such
    # years: the reference fails to read the event, and so must the verification.
    sequence = trail["one microsecond"]
    _set(sequence, "occurred_at", "2026-11-28 14:39:00.000001+00 BC")

    with pytest.raises(DataError, match="BC"):
        reference_verify()
    with pytest.raises(DataError, match="BC"):
        audit_chain_verify()
