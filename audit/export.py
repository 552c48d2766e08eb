"""CSV export of the audit trail, streamed so a long trail never sits in memory."""

import csv
import json
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from audit.chain import canonical_timestamp
from audit.models import AuditEvent

HEADER = [
    "sequence",
    "occurred_at_utc",
    "actor",
    "action",
    "target_type",
    "target_id",
    "case_id",
    "client_address",
    "details",
    "prev_hash",
    "hash",
]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """Yield the CSV lines of `events` (a header first), reading the database in chunks."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    rows: Iterable = events.values_list(
        "sequence",
        "occurred_at",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "case_id",
        "client_address",
        "details",
        "prev_hash",
        "hash",
    ).iterator(chunk_size=2000)
    for sequence, occurred_at, *middle, details, prev_hash, digest in rows:
        yield writer.writerow(
            [
                sequence,
                canonical_timestamp(occurred_at),
                *(csv_cell(value) for value in middle),
                csv_cell(json.dumps(details, sort_keys=True, ensure_ascii=False)),
                prev_hash,
                digest,
            ]
        )
