"""Verification of the audit chain, in chunks so memory stays flat however long the trail.

The trail is read with a plain database cursor, and each event's canonical bytes are assembled
from the stored text (chain.canonical_bytes_assembled): Django's field conversion and a JSON
document per event cost several times the hashing itself.

The fast path is only ever a shortcut to the reference's answer. When it gives bytes at all,
they are the bytes chain.canonical_bytes makes of the event as the ORM reads it (the tests hold
the two together); a value it cannot be sure of (a time in a form Django does not write, say)
makes it give none. An event whose fast bytes are missing or do not match the stored hash is
read again through the ORM and hashed with chain.canonical_bytes, the definition, which decides.
So the fast path makes verification quicker, never more lenient.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router

from audit.chain import (
    canonical_bytes,
    canonical_bytes_assembled,
    canonical_details,
    canonical_timestamp,
)
from audit.models import GENESIS_HASH, AuditEvent

CHUNK_SIZE = 5000
_FIELDS = (
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
# The columns of _FIELDS, with the time as text: `{occurred_at}` comes from _OCCURRED_AT.
_SELECT = (
    "SELECT sequence, {occurred_at}, actor_id, actor_label, action, target_type, target_id, "
    "case_id, client_address, details, prev_hash, hash FROM audit_auditevent "
    "WHERE sequence > %s ORDER BY sequence LIMIT %s"
)
# Where the loop looks in a row of _SELECT.
_SEQUENCE, _PREV_HASH, _HASH = 0, 10, 11
_OCCURRED_AT = {
    # Stored as text (Django writes str() of the UTC value). The CAST keeps the sqlite3 module
    # from parsing it into a datetime, by the column's declared type, on the way out.
    "sqlite": "CAST(occurred_at AS TEXT)",
    # The server writes the canonical form itself (on its own core), plus the era: AD or BC.
    # Reading a timestamptz into a datetime costs more than all the rest of an event.
    "postgresql": """to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"AD')""",
}


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification: how many events held, and the first problem if any."""

    verified: int
    head_sequence: int
    head_hash: str
    broken_at: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


class _NotFastReadable(ValueError):
    """The fast path cannot be sure of this value's canonical form; the reference decides."""


def _sqlite_timestamp(text: str) -> str:
    """Return canonical_timestamp() of the datetime Django's SQLite backend reads from `text`.

    Django parses with datetime.fromisoformat (dateparse.parse_datetime tries it first) and
    takes a naive value as UTC; text that fromisoformat refuses goes to the reference.
    """
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        # Exactly the text Django writes for a UTC time ("2026-11-28 14:39:00.000001", without
        # the fraction when it is zero): rearranged, it is the canonical form. Before the year
        # 1000, strftime writes fewer than four digits; formatting covers that.
        if moment.year >= 1000 and str(moment) == text:
            return f"{text[:10]}T{text[11:19]}{text[19:] or '.000000'}Z"
        moment = moment.replace(tzinfo=UTC)
    return canonical_timestamp(moment)


def _postgresql_timestamp(text: str | None) -> str:
    """Return the canonical timestamp from the server's text (see _OCCURRED_AT).

    Only the years 1000 to 9999 AD: there the server's four digits are what canonical_timestamp
    writes. Other times (and infinity, which reads as NULL) go to the reference, which fails on
    them as it always did.
    """
    if text is not None and len(text) == 29 and text[0] != "0" and text.endswith("ZAD"):
        return text[:-2]
    raise _NotFastReadable(text)


_TIMESTAMP_READERS = {"sqlite": _sqlite_timestamp, "postgresql": _postgresql_timestamp}


def stored_rows(*, using: str, chunk_size: int = CHUNK_SIZE):
    """Yield every event as a row of _SELECT, in sequence order, `chunk_size` rows a query."""
    connection = connections[using]
    if connection.vendor not in _OCCURRED_AT:
        raise ImproperlyConfigured(
            f"Tafel supports PostgreSQL and SQLite, not {connection.vendor}."
        )
    sql = _SELECT.format(occurred_at=_OCCURRED_AT[connection.vendor])
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [last, chunk_size])
            chunk = cursor.fetchall()
            if not chunk:
                return
            yield from chunk
            last = chunk[-1][_SEQUENCE]


def fast_canonical_bytes(row: tuple, *, vendor: str) -> bytes | None:
    """Return the canonical bytes of a row of stored_rows, or None when the reference must
    decide. When not None, they equal reference_canonical_bytes (the tests hold them to it)."""
    (
        sequence,
        at,
        actor_id,
        label,
        action,
        target_type,
        target_id,
        case_id,
        address,
        details,
        prev_hash,
        _hash,
    ) = row
    try:
        return canonical_bytes_assembled(
            sequence,
            _TIMESTAMP_READERS[vendor](at),
            actor_id,
            label,
            action,
            target_type,
            target_id,
            case_id,
            address,
            # What JSONField.from_db_value does, except that it keeps text that is not JSON
            # as text: that, like every value this path cannot take, raises here.
            canonical_details(json.loads(details)),
            prev_hash,
        )
    except (TypeError, ValueError):  # ValueError covers JSON and Unicode errors too
        return None


def reference_canonical_bytes(*, sequence: int, using: str) -> bytes:
    """Return chain.canonical_bytes of the event as the ORM reads it: the plain, slow way."""
    row = AuditEvent.objects.using(using).filter(sequence=sequence).values_list(*_FIELDS).get()
    fields = dict(zip(_FIELDS, row, strict=True))
    del fields["hash"]
    return canonical_bytes(**fields)


def _fast_hash(row: tuple, vendor: str) -> str | None:
    data = fast_canonical_bytes(row, vendor=vendor)
    return None if data is None else hashlib.sha256(data).hexdigest()


def _reference_hash(sequence: int, using: str) -> str:
    return hashlib.sha256(reference_canonical_bytes(sequence=sequence, using=using)).hexdigest()


def _utc_check(using: str) -> None:
    # Naive stored times (SQLite stores them so) are UTC only then.
    if not settings.USE_TZ or connections[using].timezone_name != "UTC":
        raise ImproperlyConfigured(
            "Audit verification reads stored times as UTC: it needs USE_TZ = True and no "
            "TIME_ZONE of the database's own."
        )


def _first_problem(
    *,
    expected: int,
    row: tuple,
    prev_hash: str,
    expect_head: tuple[int, str] | None,
    using: str,
) -> tuple[int, str] | None:
    """Return (sequence, problem) when this event breaks the chain, else None."""
    sequence, stored_hash = row[_SEQUENCE], row[_HASH]
    if sequence != expected:
        return expected, (
            f"event {expected} is missing (the next event is {sequence}): events were deleted"
        )
    if row[_PREV_HASH] != prev_hash:
        return sequence, (
            f"event {sequence} does not link to event {sequence - 1}: "
            "an event was inserted, replaced or deleted"
        )
    if (
        _fast_hash(row, connections[using].vendor) != stored_hash
        and _reference_hash(sequence, using) != stored_hash
    ):
        return sequence, f"event {sequence} does not match its hash: its contents were edited"
    if expect_head and sequence == expect_head[0] and stored_hash != expect_head[1]:
        return sequence, (
            f"event {sequence} differs from the head recorded earlier: the chain was rewritten"
        )
    return None


def audit_chain_verify(
    *, expect_head: tuple[int, str] | None = None, chunk_size: int = CHUNK_SIZE
) -> ChainReport:
    """Recompute the chain from the first event; report the first event that does not hold.

    `expect_head` is a (sequence, hash) pair recorded earlier outside the system: the chain
    must still contain that event unchanged, which reveals a cut-off tail.
    """
    using = router.db_for_read(AuditEvent)
    _utc_check(using)
    vendor = connections[using].vendor
    expected, prev_hash, verified = 1, GENESIS_HASH, 0
    for row in stored_rows(using=using, chunk_size=chunk_size):
        # The common case first, cheaply: in sequence, linked, and the fast hash matches.
        # Anything else is looked at closely, the reference included, by _first_problem.
        if (
            row[_SEQUENCE] != expected
            or row[_PREV_HASH] != prev_hash
            or _fast_hash(row, vendor) != row[_HASH]
            or (expect_head and expected == expect_head[0])
        ):
            found = _first_problem(
                expected=expected,
                row=row,
                prev_hash=prev_hash,
                expect_head=expect_head,
                using=using,
            )
            if found is not None:
                return ChainReport(verified, expected - 1, prev_hash, *found)
        prev_hash, expected, verified = row[_HASH], expected + 1, verified + 1

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
