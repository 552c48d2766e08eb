"""The verifier reads each stored event as the ORM reads it, and hashes it in the one canonical
form that the writer used: the same values, the same hashes, the same verdicts.

A trail holds every kind of value the reading must get right: unicode, nested details, keys that
PostgreSQL's jsonb keeps in another order, empty actor, case and address, times on the
microsecond and year edges and in other zones, all written by audit_record (its clock set to each
time); then times stored as text that Django does not write, hashed as the ORM reads them, as
audit_record would have hashed them.
"""

import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DataError, connection
from django.utils import timezone as django_timezone

from audit.chain import canonical_bytes, event_hash
from audit.models import GENESIS_HASH, AuditAction, AuditEvent
from audit.services import audit_record
from audit.triggers import append_only_triggers_remove
from audit.verification import ChainReport, audit_chain_verify, stored_rows, stored_values

pytestmark = pytest.mark.django_db

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
# Times the writer's clock gives, as aware datetimes in various zones.
WRITER_TIMES = {
    "on the second": datetime(2026, 11, 28, 14, 39, tzinfo=UTC),
    "one microsecond": datetime(2026, 11, 28, 14, 39, 0, 1, tzinfo=UTC),
    "last microsecond": datetime(2026, 11, 28, 14, 39, 59, 999_999, tzinfo=UTC),
    "first moment": datetime(1, 1, 1, tzinfo=UTC),
    "before the year 1000": datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
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
    "fraction written short": "2026-11-28 14:39:00.25",
    # Short fields: only the regular expression of Django's parse_datetime reads them.
    "short fields": "2026-3-9 4:05:06.5",
}
POSTGRESQL_TEXTS = {
    "offset +02:00": "2026-03-29 03:30:00.25+02",
    "the year 1000 written short": "1000-1-1 0:0:0+00",
}


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


def _record_at(moment: datetime, name: str) -> int:
    """Append an event with audit_record, its clock reading `moment`."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(django_timezone, "now", lambda: moment)
        return audit_record(action=AuditAction.LOGIN, actor=None, details={"time": name}).sequence


def rechain(start: int) -> None:
    """Link and hash the events from `start` on as the ORM reads them, as audit_record would
    have hashed them."""
    prev_hash = AuditEvent.objects.get(sequence=start - 1).hash
    for event in AuditEvent.objects.filter(sequence__gte=start).order_by("sequence"):
        event.prev_hash = prev_hash
        prev_hash = event_hash(event.chain_values())
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=prev_hash)


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
    for name, moment in WRITER_TIMES.items():
        names[name] = _record_at(moment, name)
    append_only_triggers_remove(connection)  # to store what the ORM does not write, and hash it
    texts = POSTGRESQL_TEXTS if connection.vendor == "postgresql" else SQLITE_TEXTS
    for name, text in texts.items():
        names[name] = _add()
        _set(names[name], "occurred_at", text)
    rechain(min(names[name] for name in texts))
    return names


def reference_verify(expect_head: tuple[int, str] | None = None) -> ChainReport:
    """The verification the plain, slow way: every event as a model instance, its
    chain_values() hashed. The oracle the verifier must agree with, problem texts included."""
    expected, prev_hash, verified = 1, GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("sequence"):
        sequence, stored_hash = event.sequence, event.hash
        if sequence != expected:
            problem = (
                expected,
                f"event {expected} is missing (the next event is {sequence}): events were deleted",
            )
        elif event.prev_hash != prev_hash:
            problem = (
                sequence,
                f"event {sequence} does not link to event {sequence - 1}: "
                "an event was inserted, replaced or deleted",
            )
        elif event_hash(event.chain_values()) != stored_hash:
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


def test_the_verifier_reads_every_kind_of_stored_value_as_the_orm_does(trail):
    rows = list(stored_rows(using="default"))

    assert len(rows) == AuditEvent.objects.count() == len(trail)
    for row in rows:
        values = stored_values(row, vendor=connection.vendor)
        orm_values = AuditEvent.objects.get(sequence=row[0]).chain_values()
        assert values == orm_values
        assert canonical_bytes(*values) == canonical_bytes(*orm_values)


def test_a_trail_with_every_kind_of_stored_value_verifies(trail, django_assert_num_queries):
    # One read of the whole trail and one that finds nothing more: no event read twice.
    with django_assert_num_queries(2):
        report = audit_chain_verify()

    assert report == reference_verify()
    assert report.intact and report.verified == len(trail)


def test_the_verifier_finds_the_hash_the_writer_made_at_every_time(trail):
    for name, moment in WRITER_TIMES.items():
        row = next(row for row in stored_rows(using="default") if row[0] == trail[name])
        event = AuditEvent.objects.get(sequence=trail[name])

        # In UTC: Python never finds an ambiguous time (the hour that repeats) equal to a time
        # in another zone.
        assert event.occurred_at == moment.astimezone(UTC)
        assert event_hash(stored_values(row, vendor=connection.vendor)) == event.hash, name


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
    moment = WRITER_TIMES["last microsecond"] + timedelta(microseconds=1)
    AuditEvent.objects.filter(sequence=sequence).update(occurred_at=moment)


def _same_moment_in_another_zone(trail):
    sequence = trail["Kathmandu"]
    moment = WRITER_TIMES["Kathmandu"].astimezone(ZoneInfo("America/St_Johns"))
    AuditEvent.objects.filter(sequence=sequence).update(occurred_at=moment)


def _short_time_edited(trail):
    if connection.vendor == "postgresql":
        _set(trail["the year 1000 written short"], "occurred_at", "1000-1-1 0:0:0.000001+00")
    else:
        _set(trail["short fields"], "occurred_at", "2026-3-9 4:05:06.6")


def _early_time_edited(trail):
    sequence = trail["before the year 1000"]
    moment = WRITER_TIMES["before the year 1000"] + timedelta(microseconds=1)
    AuditEvent.objects.filter(sequence=sequence).update(occurred_at=moment)


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
    "a time written short, edited": (
        _short_time_edited,
        "the year 1000 written short" if connection.vendor == "postgresql" else "short fields",
    ),
    "a time before the year 1000 edited": (_early_time_edited, "before the year 1000"),
    "the actor removed": (_actor_removed, "details: nested"),
    "the case removed": (_case_removed, "details: empty"),
    "another address": (_address_changed, "IPv4"),
    "an event deleted": (_event_deleted, "on the second"),
}


@pytest.mark.parametrize(("edit", "broken"), EDITS.values(), ids=EDITS.keys())
def test_each_edit_is_reported_as_the_plain_verification_reports_it(trail, edit, broken):
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


@pytest.mark.parametrize(
    "text",
    ["2026-11-28 14:39:00.000001+00 BC", "infinity", "-infinity", "10000-01-01 00:00:00+00"],
    ids=["BC", "infinity", "minus infinity", "after 9999"],
)
@pytest.mark.postgresql
def test_a_time_that_no_datetime_holds_is_reported_as_an_edit(trail, text):
    # The server stores years that Python has not: audit_record cannot have written them. The
    # ORM fails to read such an event at all; the verification names it. (BC: the server writes
    # the year of the twin before Christ as 2026, only the era tells them apart.)
    sequence = trail["one microsecond"]
    _set(sequence, "occurred_at", text)

    report = audit_chain_verify()

    assert (report.broken_at, report.verified) == (sequence, sequence - 1)
    assert report.problem == f"event {sequence} does not match its hash: its contents were edited"
    with pytest.raises(DataError):
        reference_verify()


@pytest.mark.parametrize(
    ("column", "text"),
    [("occurred_at", "yesterday"), ("occurred_at", ""), ("details", '{"name": "\\ud800"}')],
    ids=["a word for a time", "no time", "a lone surrogate in the details"],
)
@pytest.mark.sqlite  # PostgreSQL refuses to store these
def test_a_stored_value_without_a_canonical_form_is_reported_as_an_edit(trail, column, text):
    sequence = trail["details: unicode"]
    _set(sequence, column, text)

    report = audit_chain_verify()

    assert (report.broken_at, report.verified) == (sequence, sequence - 1)
    assert "its contents were edited" in report.problem
