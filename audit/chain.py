"""Canonical serialisation and hashing of audit events: the one definition, used by the writer
(`audit_record`, through `AuditEvent.chain_values`) and by the verifier (`verify_audit`, from
raw database rows) alike.

The hash covers every stored field except the hash itself, serialised so that a database round
trip never changes it: JSON with sorted keys and no whitespace, UTF-8, timestamps as UTC ISO 8601
with exactly six fractional digits, and ids as text. `details` may hold only strings, integers,
booleans, null, lists and objects with string keys: floats do not survive every round trip.

`canonical_bytes` takes plain values, the same ones whoever asks: the writer converts its model
instance into them, the verifier reads them from a cursor without building model instances.
It writes the JSON text out with its keys in sorted order rather than building a document and
sorting its keys for every event (verify_audit runs it over the whole trail, and that is half
its cost); tests/audit/test_canonical_form.py holds the text to canonical JSON and to fixed
hashes written by the earlier, document-based version, so the format never moves.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

FORMAT_VERSION = 1

# The values an event's hash covers, in the order of canonical_bytes' parameters: sequence,
# time (canonical_timestamp text), actor id, actor label, action, target type, target id,
# case id, client address, details (plain JSON values) and the previous event's hash.
ChainValues = tuple[
    int, str, int | None, str, str, str, str, int | None, str | None, dict[str, Any], str
]

# What json.dumps(..., ensure_ascii=False) writes for a string, quotes included (in C).
_text = json.encoder.encode_basestring
# Details as canonical JSON, nested objects with sorted keys; the encoder is made once.
_details_text = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode


def canonical_timestamp(moment: datetime) -> str:
    """Return `moment` as UTC ISO 8601 with microseconds, e.g. 2026-11-28T14:39:00.000001Z."""
    # isoformat writes the year with four digits everywhere; strftime("%Y") writes fewer before
    # the year 1000 on Linux (not on macOS), which no ISO 8601 reader expects.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def canonical_bytes(
    sequence: int,
    at: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    case_id: int | None,
    client_address: str | None,
    details: dict[str, Any],
    prev_hash: str,
) -> bytes:
    """Return the bytes that an event's hash is computed over.

    `at` is canonical_timestamp text. The result is the compact JSON text, keys sorted, of
    {"v": FORMAT_VERSION, "seq": sequence, "at": at, "actor": actor id as text or null,
    "actor_label": ..., "action": ..., "target": [target type, target id], "case": case id as
    text or null, "ip": client address, "details": details, "prev": prev_hash}, in UTF-8.
    Raises TypeError or ValueError for values that have no canonical form.
    """
    actor = "null" if actor_id is None else _text(str(actor_id))
    case = "null" if case_id is None else _text(str(case_id))
    ip = "null" if client_address is None else _text(client_address)
    return (
        f'{{"action":{_text(action)},"actor":{actor},"actor_label":{_text(actor_label)},'
        f'"at":{_text(at)},"case":{case},"details":{_details_text(details)},"ip":{ip},'
        f'"prev":{_text(prev_hash)},"seq":{sequence:d},'
        f'"target":[{_text(target_type)},{_text(target_id)}],"v":{FORMAT_VERSION:d}}}'
    ).encode()


def event_hash(values: ChainValues) -> str:
    """Return the SHA-256 hex digest of the canonical bytes of `values`."""
    return hashlib.sha256(canonical_bytes(*values)).hexdigest()
