"""Canonical serialisation and hashing of audit events.

The hash covers every stored field except the hash itself, serialised so that a database round
trip never changes it: JSON with sorted keys and no whitespace, UTF-8, timestamps as UTC ISO 8601
with exactly six fractional digits, and ids as text. `details` may hold only strings, integers,
booleans, null, lists and objects with string keys: floats do not survive every round trip.
"""

import hashlib
import json
from datetime import UTC, datetime

FORMAT_VERSION = 1


def canonical_timestamp(moment: datetime) -> str:
    """Return `moment` as UTC ISO 8601 with microseconds, e.g. 2026-11-28T14:39:00.000001Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(
    *,
    sequence: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    case_id: int | None,
    client_address: str | None,
    details: dict,
    prev_hash: str,
) -> bytes:
    """Return the bytes that an event's hash is computed over."""
    document = {
        "v": FORMAT_VERSION,
        "seq": sequence,
        "at": canonical_timestamp(occurred_at),
        "actor": None if actor_id is None else str(actor_id),
        "actor_label": actor_label,
        "action": action,
        "target": [target_type, target_id],
        "case": None if case_id is None else str(case_id),
        "ip": client_address,
        "details": details,
        "prev": prev_hash,
    }
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def event_hash(**fields) -> str:
    """Return the SHA-256 hex digest of the event's canonical bytes."""
    return hashlib.sha256(canonical_bytes(**fields)).hexdigest()


# The verifier's fast path: the same bytes as canonical_bytes, assembled as text from stored
# values, without building a document and sorting its keys for every event. canonical_bytes
# stays the definition; tests/audit/test_fast_verification.py holds the two together.

# What json.dumps(..., ensure_ascii=False) writes for a string, quotes included.
_text = json.encoder.encode_basestring
# json.dumps with the options of canonical_bytes, with the encoder made once.
_details_encoder = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_details(details) -> str:
    """Return `details` as canonical_bytes writes them inside the document."""
    return _details_encoder.encode(details)


def canonical_bytes_assembled(
    sequence: int,
    at: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    case_id: int | None,
    client_address: str | None,
    details: str,
    prev_hash: str,
) -> bytes:
    """Return canonical_bytes for an event whose `at` is canonical_timestamp text already and
    whose `details` is canonical_details text already. The keys appear in sorted order."""
    actor = "null" if actor_id is None else _text(str(actor_id))
    case = "null" if case_id is None else _text(str(case_id))
    ip = "null" if client_address is None else _text(client_address)
    return (
        f'{{"action":{_text(action)},"actor":{actor},"actor_label":{_text(actor_label)},'
        f'"at":{_text(at)},"case":{case},"details":{details},"ip":{ip},'
        f'"prev":{_text(prev_hash)},"seq":{sequence:d},'
        f'"target":[{_text(target_type)},{_text(target_id)}],"v":{FORMAT_VERSION:d}}}'
    ).encode()
