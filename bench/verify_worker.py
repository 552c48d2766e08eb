"""Run `audit_chain_verify` in a process of its own, to time it and watch its memory.

    python -m bench.verify_worker --runs 3 --expect 100000 [--profile PATH]

Started by the runner with the bench database in the environment. Prints one line of JSON:
the time of each run and how far the process's resident memory rose above its level before the
first run (a thread reads /proc/self/statm every 5 ms; that costs the runs next to nothing,
unlike tracemalloc, which slows every allocation). A chain that does not verify in full is an
error: a broken chain stops early and would look fast.
"""

import argparse
import json
import os
import threading
import time
from pathlib import Path

import django

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * _PAGE


class PeakRss:
    """The highest resident memory seen while the block runs."""

    def __enter__(self):
        self.before = self.peak = _rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss_bytes())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--expect", type=int, required=True, help="events the chain must hold")
    parser.add_argument("--profile", default="", help="write a cProfile of one more run here")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from audit.models import AuditEvent
    from audit.verification import audit_chain_verify

    AuditEvent.objects.order_by("-sequence").values_list("sequence").first()  # connect
    times, report = [], None
    with PeakRss() as memory:
        for _run in range(args.runs):
            started = time.perf_counter()
            report = audit_chain_verify()
            times.append(time.perf_counter() - started)
            if not report.intact or report.verified != args.expect:
                raise SystemExit(
                    f"the chain did not verify in full: {report.verified} of {args.expect} "
                    f"events, broken at {report.broken_at}: {report.problem}"
                )

    if args.profile:
        import cProfile

        cProfile.runctx("audit_chain_verify()", globals(), locals(), args.profile)

    print(
        json.dumps(
            {
                "verified": report.verified,
                "head": f"{report.head_sequence}:{report.head_hash}",
                "seconds": times,
                "rss_before_mib": memory.before / 2**20,
                "rss_peak_mib": memory.peak / 2**20,
                "rss_added_mib": (memory.peak - memory.before) / 2**20,
            }
        )
    )


if __name__ == "__main__":
    main()
