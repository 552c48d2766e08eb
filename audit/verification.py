"""Verification of the audit chain, in chunks so memory stays flat however long the trail."""

from dataclasses import dataclass

from audit.chain import event_hash
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


def _rows(chunk_size: int):
    last = 0
    while True:
        chunk = list(
            AuditEvent.objects.filter(sequence__gt=last)
            .order_by("sequence")
            .values_list(*_FIELDS)[:chunk_size]
        )
        if not chunk:
            return
        yield from chunk
        last = chunk[-1][0]


def _first_problem(
    *,
    expected: int,
    sequence: int,
    fields: dict,
    stored_hash: str,
    prev_hash: str,
    expect_head: tuple[int, str] | None,
) -> tuple[int, str] | None:
    """Return (sequence, problem) when this event breaks the chain, else None."""
    if sequence != expected:
        return expected, (
            f"event {expected} is missing (the next event is {sequence}): events were deleted"
        )
    if fields["prev_hash"] != prev_hash:
        return sequence, (
            f"event {sequence} does not link to event {sequence - 1}: "
            "an event was inserted, replaced or deleted"
        )
    if event_hash(sequence=sequence, **fields) != stored_hash:
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
    expected, prev_hash, verified = 1, GENESIS_HASH, 0
    for row in _rows(chunk_size):
        fields = dict(zip(_FIELDS, row, strict=True))
        sequence, stored_hash = fields.pop("sequence"), fields.pop("hash")
        found = _first_problem(
            expected=expected,
            sequence=sequence,
            fields=fields,
            stored_hash=stored_hash,
            prev_hash=prev_hash,
            expect_head=expect_head,
        )
        if found is not None:
            return ChainReport(verified, expected - 1, prev_hash, *found)
        prev_hash, expected, verified = stored_hash, expected + 1, verified + 1

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
