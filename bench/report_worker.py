"""Measure 9's report pages in a process of its own, as a web worker serves them.

    python -m bench.report_worker --cases 200000 --coordinator 17 --runs 7 [--profile-dir P]

Started by the runner with the bench database in the environment (on SQLite, TAFEL_VAR_DIR
names a snapshot of it at one size: `measures.reports_interleaved`). The runner's own process
has just generated every case, audit event and tally in bulk; a web process serving the report
has none of that in its heap. Here the pages are requested by a process that has only set
Django up, as a web worker would. Prints one line of JSON: what `measures.reports` returns,
plus the number of objects the garbage collector tracks.
"""

import argparse
import gc
import json
import os
from pathlib import Path
from types import SimpleNamespace

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, required=True, help="cases the database holds")
    parser.add_argument("--coordinator", type=int, required=True, help="the measured coordinator")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--profile-dir", default="", help="write cProfiles of the pages here")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.contrib.auth import get_user_model  # noqa: PLC0415 - after django.setup()

    from bench import measures  # noqa: PLC0415 - imports models: after django.setup()

    users = get_user_model().objects
    world = SimpleNamespace(
        cases=args.cases,
        supervisor=users.get(username="bench-supervisor"),
        coordinator_ids=[args.coordinator],
    )
    profile_dir = Path(args.profile_dir) if args.profile_dir else None
    result = measures.reports(world, runs=args.runs, profile_dir=profile_dir)
    result["gc_objects"] = len(gc.get_objects())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
