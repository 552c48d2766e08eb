"""The one canonical form of an event (audit.chain): fixed, canonical JSON, and strict."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from audit.chain import ChainValues, canonical_bytes, canonical_timestamp, event_hash

# Two events with the bytes and hashes that the document-based canonical_bytes (json.dumps of
# the whole event, commit 4cfdf6a) made of them: events already stored keep their hashes.
BUSY: ChainValues = (
    42,
    "2026-11-28T14:39:00.000001Z",
    7,
    "Zoë d'Hondt",
    "note.read",
    "cases.note",
    "123",
    2**62,
    "2001:db8::1",
    {
        "b": [1, None, True, False, {"z": [], "a": {}}],
        "a": 'tab\there "q" \\ \u2028 🕊️',
        "big": 2**70,
    },
    "ab" * 32,
)
BUSY_BYTES = (
    '{"action":"note.read","actor":"7","actor_label":"Zoë d\'Hondt",'
    '"at":"2026-11-28T14:39:00.000001Z","case":"4611686018427387904",'
    '"details":{"a":"tab\\there \\"q\\" \\\\ \u2028 🕊️","b":[1,null,true,false,{"a":{},"z":[]}],'
    '"big":1180591620717411303424},"ip":"2001:db8::1",'
    '"prev":"abababababababababababababababababababababababababababababababab","seq":42,'
    '"target":["cases.note","123"],"v":1}'
).encode()
BUSY_HASH = "13e2e8ea6a8142325cd23c6cc7db781006400349a145fd3e8a7e1ba398d38547"
EMPTY: ChainValues = (
    1,
    "2026-03-29T01:30:00.000000Z",
    None,
    "system",
    "auth.login",
    "",
    "",
    None,
    None,
    {},
    "0" * 64,
)
EMPTY_HASH = "c3c562831c3901b81fdf8b3a8b3f1a2f21052ff7aaf4e795e48c27f097631242"

# Text that JSON must escape, or must leave alone, in every text field.
AWKWARD = [
    "",
    'quote " and backslash \\',
    "controls \x00\x01\x1f\x7f tab\t newline\n return\r",
    "separators \u2028\u2029",
    "Zoë, سلام, 🕊️, e\u0301",
    "</script> & '",
]


def test_the_canonical_form_of_an_event_is_unchanged():
    assert canonical_bytes(*BUSY) == BUSY_BYTES
    assert event_hash(BUSY) == BUSY_HASH
    assert event_hash(EMPTY) == EMPTY_HASH


@pytest.mark.parametrize("text", AWKWARD)
def test_the_canonical_form_is_compact_json_with_sorted_keys(text):
    values = (9, text, 3, text, text, text, text, 5, text, {text: [text, {text: text}]}, text)

    data = canonical_bytes(*values)
    document = json.loads(data)

    assert document == {
        "action": text,
        "actor": "3",
        "actor_label": text,
        "at": text,
        "case": "5",
        "details": {text: [text, {text: text}]},
        "ip": text,
        "prev": text,
        "seq": 9,
        "target": [text, text],
        "v": 1,
    }
    # Canonical: serialising what it reads as with sorted keys, no whitespace and UTF-8 gives
    # the same bytes back.
    assert data == json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


@pytest.mark.parametrize(
    "values",
    [
        (*BUSY[:9], {"amount": float("nan")}, *BUSY[10:]),  # no JSON for it
        ("42", *BUSY[1:]),  # the sequence must be a number
        (*BUSY[:3], "lone surrogate \ud800", *BUSY[4:]),  # no UTF-8 for it
        (*BUSY[:1], None, *BUSY[2:]),  # no time
    ],
    ids=["NaN", "sequence as text", "lone surrogate", "no time"],
)
def test_values_without_a_canonical_form_are_refused(values):
    with pytest.raises((TypeError, ValueError)):
        canonical_bytes(*values)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 11, 28, 14, 39, tzinfo=UTC), "2026-11-28T14:39:00.000000Z"),
        (
            datetime(2026, 3, 1, 5, 45, 0, 123_456, tzinfo=timezone(timedelta(hours=5.75))),
            "2026-03-01T00:00:00.123456Z",
        ),
        # Four digits before the year 1000 too, as ISO 8601 has it (strftime writes "999").
        (datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC), "0999-01-02T03:04:05.000006Z"),
        (datetime(1, 1, 1, tzinfo=UTC), "0001-01-01T00:00:00.000000Z"),
    ],
)
def test_timestamps_are_utc_iso_8601_with_microseconds(moment, text):
    assert canonical_timestamp(moment) == text
