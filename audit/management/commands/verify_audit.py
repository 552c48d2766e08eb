"""Verify the audit chain; exit non-zero naming the first event that does not hold."""

import re

from django.core.management.base import BaseCommand, CommandError

from audit.verification import audit_chain_verify

_HEAD = re.compile(r"^(?P<sequence>\d+):(?P<hash>[0-9a-f]{64})$")


def _head(value: str) -> tuple[int, str]:
    match = _HEAD.match(value.strip().lower())
    if not match:
        raise CommandError(
            f"--expect-head takes SEQUENCE:HASH as printed by verify_audit, not {value!r}."
        )
    return int(match["sequence"]), match["hash"]


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain from the first event. Prints the head "
        "(SEQUENCE:HASH) to record elsewhere; --expect-head checks a head recorded earlier."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            metavar="SEQUENCE:HASH",
            help="A head printed by an earlier run; the chain must still contain it unchanged.",
        )

    def handle(self, *args, expect_head=None, **options):
        report = audit_chain_verify(expect_head=_head(expect_head) if expect_head else None)
        if not report.intact:
            raise CommandError(
                f"Audit chain broken at event {report.broken_at}: {report.problem}. "
                f"{report.verified} events before it verified.",
                returncode=2,
            )
        self.stdout.write(f"Audit chain intact: {report.verified} events verified.")
        self.stdout.write(f"Head: {report.head_sequence}:{report.head_hash}")
