"""Verification of the audit chain, in chunks so memory stays flat however long the trail.

The trail is read with a plain database cursor, not as model instances: Django's field
conversion and an instance per event cost several times the hashing itself. Each row becomes
the plain values that `AuditEvent.chain_values` gives for the same event read through the ORM
(`stored_values`; the tests hold the two together), and those go to `chain.event_hash`, the one
canonical form, which `audit_record` used to write the event.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.utils.dateparse import parse_datetime

from audit.chain import ChainValues, canonical_timestamp, event_hash
from audit.models import GENESIS_HASH, AuditEvent

CHUNK_SIZE = 5000
# The values of ChainValues, then the stored hash; `{occurred_at}` comes from _OCCURRED_AT.
_SELECT = (
    "SELECT sequence, {occurred_at}, actor_id, actor_label, action, target_type, target_id, "
    "case_id, client_address, details, prev_hash, hash FROM audit_auditevent "
    "WHERE sequence > %s ORDER BY sequence LIMIT %s"
)
# Where the loop looks in a row of _SELECT.
_SEQUENCE, _PREV_HASH, _HASH = 0, 10, 11
# The time as text: reading a timestamp into a datetime costs more than all the rest of an event.
_OCCURRED_AT = {
    # Stored as text (Django writes str() of the UTC value). The CAST keeps the sqlite3 module
    # from parsing it into a datetime, by the column's declared type, on the way out.
    "sqlite": "CAST(occurred_at AS TEXT)",
    # The server writes canonical_timestamp's text itself (on its own core). Times that a
    # Python datetime cannot hold (before the year 1, BC, after 9999, infinity) read as NULL:
    # audit_record cannot have written them.
    "postgresql": (
        "CASE WHEN occurred_at >= '0001-01-01T00:00:00Z' AND occurred_at < '10000-01-01T00:00:00Z' "
        """THEN to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END"""
    ),
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


def _sqlite_time(text: str) -> str:
    """Return canonical_timestamp() of the datetime Django's SQLite backend reads from `text`:
    parse_datetime's, and a naive one is UTC."""
    moment = parse_datetime(text)
    if moment is None:
        raise ValueError(f"not a time: {text!r}")
    if moment.tzinfo is None:
        if str(moment) == text:
            # Exactly the text Django writes for a UTC time ("2026-11-28 14:39:00.000001",
            # without the fraction when it is zero): rearranged, it is the canonical form, for
            # less than formatting the datetime costs.
            return f"{text[:10]}T{text[11:19]}{text[19:] or '.000000'}Z"
        moment = moment.replace(tzinfo=UTC)
    return canonical_timestamp(moment)


def _postgresql_time(text: str | None) -> str:
    """Return the server's canonical text (see _OCCURRED_AT); NULL has none."""
    if text is None:
        raise ValueError("a time outside the years 1 to 9999")
    return text


_TIME_READERS: dict[str, Callable[[Any], str]] = {
    "sqlite": _sqlite_time,
    "postgresql": _postgresql_time,
}


def stored_rows(*, using: str, chunk_size: int = CHUNK_SIZE) -> Iterator[tuple]:
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


def stored_values(row: tuple, *, vendor: str) -> ChainValues:
    """Return the values a row of stored_rows holds for chain.event_hash: those that
    AuditEvent.chain_values() gives for the event as the ORM reads it.

    Raises ValueError (JSON and Unicode errors included) or TypeError for a stored value that
    audit_record cannot have written: a time no datetime holds, details that are not JSON.
    """
    (
        sequence,
        at,
        actor_id,
        actor_label,
        action,
        target_type,
        target_id,
        case_id,
        client_address,
        details,
        prev_hash,
        _hash,
    ) = row
    return (
        sequence,
        _TIME_READERS[vendor](at),
        actor_id,
        actor_label,
        action,
        target_type,
        target_id,
        case_id,
        client_address,
        # JSONField.from_db_value does the same, except that it keeps text that is not JSON
        # as text; audit_record only ever writes an object.
        json.loads(details),
        prev_hash,
    )


def _stored_hash(row: tuple, vendor: str) -> str | None:
    """The hash of the row's values; None when they cannot have been hashed at all."""
    try:
        return event_hash(stored_values(row, vendor=vendor))
    except (TypeError, ValueError):
        return None


def _utc_check(using: str) -> None:
    # Naive stored times (SQLite stores them so) are UTC only then.
    if not settings.USE_TZ or connections[using].timezone_name != "UTC":
        raise ImproperlyConfigured(
            "Audit verification reads stored times as UTC: it needs USE_TZ = True and no "
            "TIME_ZONE of the database's own."
        )


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
    head_sequence, head_hash = expect_head or (0, "")
    expected, prev_hash = 1, GENESIS_HASH
    for row in stored_rows(using=using, chunk_size=chunk_size):
        sequence, stored_hash = row[_SEQUENCE], row[_HASH]
        if sequence != expected:
            problem = (
                expected,
                f"event {expected} is missing (the next event is {sequence}): events were deleted",
            )
        elif row[_PREV_HASH] != prev_hash:
            problem = (
                sequence,
                f"event {sequence} does not link to event {sequence - 1}: "
                "an event was inserted, replaced or deleted",
            )
        elif _stored_hash(row, vendor) != stored_hash:
            problem = (
                sequence,
                f"event {sequence} does not match its hash: its contents were edited",
            )
        elif sequence == head_sequence and stored_hash != head_hash:
            problem = (
                sequence,
                f"event {sequence} differs from the head recorded earlier: the chain was rewritten",
            )
        else:
            prev_hash, expected = stored_hash, expected + 1
            continue
        return ChainReport(expected - 1, expected - 1, prev_hash, *problem)

    verified = expected - 1
    if head_sequence > verified:
        return ChainReport(
            verified,
            verified,
            prev_hash,
            verified + 1,
            f"the chain ends at event {verified}, before the head {head_sequence} recorded "
            "earlier: events were cut off the end",
        )
    return ChainReport(verified, verified, prev_hash)
