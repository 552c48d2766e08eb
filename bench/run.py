"""Run the benchmark suite of issue 10 on a fresh database of its own; print a table, write JSON.

    python -m bench.run [--large] [--json PATH] [--profile]

SQLite in a temporary folder by default; with DATABASE_URL set (PostgreSQL), a database
`tafel_bench` on that server, created at the start and dropped at the end. The default sizes
finish in a few minutes on two cores; `--large` adds 200k cases and a trail of 1M events.
`--profile` also writes a cProfile of each measure to var/bench/profiles/<database>/.
Measures 6 (bench/invites.py) and 7 (bench/outbox.py) run once, at the largest size; the
outbox measure sends only to an SMTP server of its own on 127.0.0.1 (bench/smtp_sink.py).
Measure 9 (the report) runs in fresh processes (bench/report_worker.py); on SQLite at the end,
on a snapshot of the database at each size, the sizes taking turns (`--report-rounds`).
"""

import argparse
import gc
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Django and mediation.crypto read no settings on import: safe before the runner sets the
# environment. The apps' own modules are imported in _run, after django.setup().
import django
from django.core.management import call_command
from django.db import connection, connections

from mediation.crypto import generate_master_key

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "tafel_bench"

SIZES = {
    "default": {"cases": [2_000, 20_000], "events": 100_000},
    "large": {"cases": [2_000, 20_000, 200_000], "events": 1_000_000},
}
# Rotation and throughput run at every size but the first; the case page at the second.

TARGETS = {
    "growth": "200k ÷ 2k ≤ 1.5x",
    "queries": "constant",
    "throughput": "list ÷ bare ≥ 20 %",
    "rotation": "200k cases ≤ 5 s",
    "verify": "≥ 100k events/s (1M)",
    "memory": "bounded",
    "feed": "repeat ≤ 50 ms",
    "outbox": "≥ 40 mails/s/worker",
    "day": "200k ÷ 2k ≤ 1.5x, queries constant",
    "reports": "200k ÷ 2k ≤ 1.5x, queries constant",
}

# Measure 9's pages (issue 19), as the table names them.
REPORT_PAGES = {
    "supervisor_year": "supervisor's report, current year",
    "supervisor_ten_years": "supervisor's report, ten years (every case)",
    "coordinator_ten_years": "a coordinator's report, ten years",
}

# Measure 8's pages, as the table names them.
DAY_PAGES = {
    "mediator_home": "mediator's home",
    "supervisor_home": "supervisor's home",
    "coordinator_home": "coordinator's home",
    "mediator_board": "mediator's board",
    "supervisor_board": "supervisor's board",
    "mediator_todo": "mediator's to-do list",
    "supervisor_list": "supervisor's case list",
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--large", action="store_true", help="also 200k cases and 1M events")
    parser.add_argument(
        "--json", type=Path, default=BASE_DIR / "var" / "bench" / "results.json", metavar="PATH"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile each measure once")
    parser.add_argument(
        "--keep", action="store_true", help="keep the bench database afterwards, to look into it"
    )
    parser.add_argument("--runs", type=int, default=15, help="samples per page measure")
    parser.add_argument(
        "--report-rounds", type=int, default=5, help="rounds over every size (measure 9)"
    )
    parser.add_argument(
        "--load-generator",
        choices=["python", "wrk"],
        default="python",
        help="bench.load (default) or wrk (apt-get install wrk); see bench/RESULTS.md",
    )
    parser.add_argument(
        "--cases", help="comma-separated case counts instead of the standard ones (for a try-out)"
    )
    parser.add_argument("--events", type=int, help="audit events instead of the standard count")
    parser.add_argument("--load-seconds", type=float, default=8.0, help="at most, per load run")
    parser.add_argument("--load-requests", type=int, default=4000, help="at most, per load run")
    parser.add_argument(
        "--invites", type=int, default=200, help="invites built one by one (measure 6)"
    )
    parser.add_argument(
        "--mails", type=int, default=500, help="mails sent through the outbox, twice (measure 7)"
    )
    return parser.parse_args()


def _log(started: float, message: str) -> None:
    print(f"[{time.perf_counter() - started:6.1f}s] {message}", flush=True)


@contextmanager
def bench_database(folder: Path, *, keep: bool = False):
    """Point the environment at a fresh database; drop a PostgreSQL one afterwards."""
    os.environ["TAFEL_VAR_DIR"] = str(folder)  # SQLite database and mailbox, never var/
    # Never the app's own database or mail server: only DATABASE_URL itself picks a server.
    for name in ("DATABASE_URL_FILE", "TAFEL_EMAIL_HOST"):
        os.environ.pop(name, None)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        yield {"vendor": "sqlite", "name": str(folder / "db.sqlite3")}
        return
    import psycopg  # noqa: PLC0415 - PostgreSQL only: a SQLite run needs no driver

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit(f"DATABASE_URL must name PostgreSQL (or be unset for SQLite): {url}")
    admin_path = "/postgres" if parts.path.strip("/") == BENCH_DATABASE else parts.path
    admin_url = urlunsplit(parts._replace(path=admin_path))

    def admin(statement: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(statement)

    admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    admin(f"CREATE DATABASE {BENCH_DATABASE}")
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))
    try:
        yield {"vendor": "postgresql", "name": BENCH_DATABASE}
    finally:
        connections.close_all()
        if not keep:
            admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        os.environ["DATABASE_URL"] = url


def _machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        # Other work on the machine skews every figure: the runner warns when it is not quiet.
        "load_average_at_start": os.getloadavg(),
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": round(memory_kib / 2**20, 1),
        "python": platform.python_version(),
    }


def _database_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return f"SQLite {sqlite3.sqlite_version}"


def main() -> None:
    args = _arguments()
    sizes = dict(SIZES["large" if args.large else "default"])
    if args.cases:
        sizes["cases"] = [int(count) for count in args.cases.split(",")]
    if args.events:
        sizes["events"] = args.events
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="tafel-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["TAFEL_ENV"] = "development"
    sys.path.insert(0, str(BASE_DIR))
    try:
        with bench_database(folder, keep=args.keep) as database:
            # Fresh master keys: the bench never touches the development key file.
            os.environ["TAFEL_MASTER_KEYS"] = generate_master_key()
            results = _run(args, sizes, database, started)
    finally:
        if args.keep:
            keys = os.environ.get("TAFEL_MASTER_KEYS", "")
            print(f"kept the database: TAFEL_VAR_DIR={folder} TAFEL_MASTER_KEYS={keys}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    rows = table_rows(results)
    print()
    print(table_text(rows, results))
    results["table"] = rows
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    _log(started, f"wrote {args.json}")


def _run(args, sizes: dict, database: dict, started: float) -> dict:
    if os.getloadavg()[0] > 0.5:
        print(f"warning: the machine is busy (load {os.getloadavg()[0]:.2f}): figures will suffer")
    django.setup()
    # Models load only once the apps are set up, with the environment main() has prepared.
    from audit.models import AuditEvent  # noqa: PLC0415 - needs django.setup() first
    from bench import (  # noqa: PLC0415 - they import models: after django.setup()
        generate,
        invites,
        measures,
        outbox,
    )
    from reporting.tallies import tallies_rebuild  # noqa: PLC0415 - needs django.setup() first

    profile_dir = BASE_DIR / "var" / "bench" / "profiles" / database["vendor"]
    profile_dir = profile_dir if args.profile else None
    _log(started, f"migrating a fresh {database['vendor']} database")
    call_command("migrate", verbosity=0, interactive=False)
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "size": "large" if args.large else "default",
        "sizes": sizes,
        "machine": _machine(),
        "database": {"vendor": connection.vendor, "version": _database_version()},
        "django": django.get_version(),
        "generation_s": {},
        "list": [],
        "day": [],
        "reports": [],
        "reports_in_runner": [],
        "rotation": [],
        "throughput": [],
    }
    timings = results["generation_s"]

    def step(name: str, function, *arguments, **keywords):
        begun = time.perf_counter()
        value = function(*arguments, **keywords)
        timings[name] = round(time.perf_counter() - begun, 2)
        _log(started, f"{name}: {timings[name]} s")
        return value

    world = step("users", generate.world_create, max_cases=sizes["cases"][-1])
    events = sizes["events"]
    first_at = generate.audit_first_at(events)
    middle = step(
        f"audit events 1-{events // 2}",
        generate.audit_events_append,
        world,
        events // 2,
        first_at=first_at,
    )
    # Half the trail, once: its memory beside the full trail's shows whether memory is bounded.
    results["verify_half"] = measures.verify(
        expect=AuditEvent.objects.count(), runs=1, profile_dir=None
    )
    _log(started, f"5 verify_audit over {events // 2} events done")
    step(
        f"audit events {events // 2 + 1}-{events}",
        generate.audit_events_append,
        world,
        events - events // 2,
        first_at=middle,
    )
    step("showcase case (services, 50 notes)", generate.showcase_case_create, world)
    step("settle after the trail", generate.database_settle)

    keyring = measures.Keyring()
    snapshots: dict[int, Path] = {}  # size: a copy of the SQLite database at that size
    var_dir = Path(os.environ["TAFEL_VAR_DIR"])  # the bench's own folder (bench_database)
    for position, size in enumerate(sizes["cases"]):
        step(f"cases up to {size}", generate.cases_grow, world, size)
        step(f"settle at {size}", generate.database_settle)
        # The generator writes in bulk, without the signals that keep the report's tallies.
        step(f"report tallies at {size}", tallies_rebuild)
        results.setdefault("checks", {})[size] = generate.generation_check(world)
        results["list"].append(measures.case_list(world, runs=args.runs, profile_dir=profile_dir))
        _log(started, f"1 case list at {size} cases done")
        results["day"].append(measures.working_day(world, runs=args.runs, profile_dir=profile_dir))
        _log(started, f"8 homes, board and to-do at {size} cases done")
        # Measure 9 in this process, which holds what it generated in bulk (for comparison),
        # then as a web worker serves the report: in a fresh process (bench/report_worker.py).
        # On SQLite the fresh processes run at the end, the sizes taking turns, each on a
        # snapshot of the database at its size (measures.reports_interleaved).
        in_runner = measures.reports(world, runs=args.runs, profile_dir=None)
        in_runner["gc_objects"] = len(gc.get_objects())
        results["reports_in_runner"].append(in_runner)
        if database["vendor"] == "sqlite":
            snapshots[size] = step(
                f"snapshot at {size}", measures.database_snapshot, var_dir / "sizes" / str(size)
            )
        else:
            results["reports"].append(
                measures.reports_in_own_process(
                    cases=size,
                    coordinator_id=world.coordinator_ids[0],
                    runs=args.runs,
                    profile_dir=profile_dir,
                    var_dir=None,
                )
            )
        _log(started, f"9 reports at {size} cases done")
        if position == 1:
            results["detail"] = measures.case_detail(world, runs=args.runs, profile_dir=profile_dir)
            _log(started, "3 case detail done")
        if position >= 1:
            results["rotation"].append(measures.rotation(keyring, runs=3, profile_dir=profile_dir))
            _log(started, f"4 rotate_keys at {size} cases done")
        if position >= 1:
            results["throughput"].append(
                measures.throughput(
                    world,
                    runs=3,
                    seconds=args.load_seconds,
                    requests=args.load_requests,
                    concurrency=4,
                    generator=args.load_generator,
                )
            )
            _log(started, f"2 throughput at {size} cases done")
    if snapshots:
        results["reports"] = measures.reports_interleaved(
            snapshots,
            coordinator_id=world.coordinator_ids[0],
            runs=args.runs,
            rounds=args.report_rounds,
            profile_dir=profile_dir,
        )
        _log(started, f"9 reports, {args.report_rounds} rounds over every size, done")
    # Measures 6 and 7 at the largest size: the sessions table then holds every case's sessions.
    results["invites"] = invites.invite_generation(
        world, invites=args.invites, profile_dir=profile_dir
    )
    _log(started, f"6 invite generation ({args.invites} invites) done")
    results["feed"] = invites.feed(world, runs=args.runs, profile_dir=profile_dir)
    _log(started, f"6 feed of {results['feed']['sessions']} sessions done")
    results["outbox"] = outbox.outbox(mails=args.mails, profile_dir=profile_dir)
    _log(started, f"7 outbox ({args.mails} mails, twice) done")
    results["verify"] = measures.verify(
        expect=AuditEvent.objects.count(), runs=3, profile_dir=profile_dir
    )
    _log(started, f"5 verify_audit over {results['verify']['events']} events done")
    results["rows"] = {
        "cases": world.cases,
        "audit_events": AuditEvent.objects.count(),
        "mediator_visible_cases": world.mediator_cases,
        "sessions": world.sessions,
        "mediator_feed_sessions": world.mediator_sessions,
    }
    results["total_s"] = round(time.perf_counter() - started, 1)
    return results


def _k(number: int) -> str:
    return f"{number // 1000}k" if number >= 1000 and number % 1000 == 0 else f"{number:,}"


def _rate(per_second: float) -> str:
    return f"{per_second:.0f} req/s" if per_second >= 10 else f"{per_second:.2f} req/s"


def _status(met: bool, *, measured_as_named: bool = True) -> str:
    word = "met" if met else "MISSED"
    return word if measured_as_named else f"indicative: {word}"


def table_rows(results: dict) -> list[dict]:
    """Each figure beside its target; status says whether it was measured at the named size."""
    rows = []

    def row(measure, name, figure, target="", status="info"):
        rows.append(
            {"measure": measure, "name": name, "figure": figure, "target": target, "status": status}
        )

    lists = results["list"]
    for item in lists:
        mediator = item["mediator"]
        row(
            "1",
            f"case list, mediator ({item['mediator_visible']} visible), {_k(item['cases'])} cases",
            f"{mediator['ms']:.1f} ms, {mediator['queries']} queries",
        )
    first, last = lists[0], lists[-1]
    growth = last["mediator"]["ms"] / first["mediator"]["ms"]
    at_200k = last["cases"] >= 200_000
    row(
        "1",
        f"growth {_k(last['cases'])} ÷ {_k(first['cases'])}",
        f"{growth:.2f}x",
        TARGETS["growth"],
        _status(growth <= 1.5, measured_as_named=at_200k),
    )
    counts = [item["mediator"]["queries"] for item in lists]
    row(
        "1",
        "queries per request, by size",
        " → ".join(str(count) for count in counts),
        TARGETS["queries"],
        _status(len(set(counts)) == 1, measured_as_named=at_200k),
    )
    for item in lists:
        row(
            "1",
            f"case list, supervisor (all visible), {_k(item['cases'])} cases",
            f"{item['supervisor']['ms']:.1f} ms, {item['supervisor']['queries']} queries",
        )

    days = results.get("day", [])
    if days:
        first_day, last_day = days[0], days[-1]
        day_at_200k = last_day["cases"] >= 200_000
        for key, name in DAY_PAGES.items():
            for item in days:
                measured = item[key]
                row(
                    "8",
                    f"{name}, {_k(item['cases'])} cases",
                    f"{measured['ms']:.1f} ms, {measured['queries']} queries",
                )
            growth = last_day[key]["ms"] / first_day[key]["ms"]
            counts = [item[key]["queries"] for item in days]
            row(
                "8",
                f"{name}: growth {_k(last_day['cases'])} ÷ {_k(first_day['cases'])}, queries",
                f"{growth:.2f}x, " + " → ".join(str(count) for count in counts),
                TARGETS["day"],
                _status(growth <= 1.5 and len(set(counts)) == 1, measured_as_named=day_at_200k),
            )

    reports = results.get("reports", [])
    if reports:
        first_report, last_report = reports[0], reports[-1]
        for key, name in REPORT_PAGES.items():
            for item in reports:
                measured = item[key]
                rounds = measured.get("round_ms")
                each = f" (rounds: {', '.join(f'{ms:.1f}' for ms in rounds)})" if rounds else ""
                row(
                    "9",
                    f"{name}, {_k(item['cases'])} cases",
                    f"{measured['ms']:.1f} ms, {measured['queries']} queries{each}",
                )
            growth = last_report[key]["ms"] / first_report[key]["ms"]
            counts = [item[key]["queries"] for item in reports]
            row(
                "9",
                f"{name}: growth {_k(last_report['cases'])} ÷ {_k(first_report['cases'])}, queries",
                f"{growth:.2f}x, " + " → ".join(str(count) for count in counts),
                TARGETS["reports"],
                _status(
                    growth <= 1.5 and len(set(counts)) == 1,
                    measured_as_named=last_report["cases"] >= 200_000,
                ),
            )
    # The same pages requested by the runner itself, for comparison (no target: see above).
    in_runner = results.get("reports_in_runner", [])
    if in_runner:
        for key, name in REPORT_PAGES.items():
            figures = ", ".join(f"{item[key]['ms']:.1f}" for item in in_runner)
            growth = in_runner[-1][key]["ms"] / in_runner[0][key]["ms"]
            row("9", f"{name}, in the runner's process", f"{figures} ms ({growth:.2f}x)")
        objects = ", ".join(f"{item['gc_objects']:,}" for item in in_runner)
        fresh = ", ".join(f"{item.get('gc_objects', 0):,}" for item in reports)
        row("9", "objects the garbage collector tracks: runner; own process", f"{objects}; {fresh}")

    for item in results["throughput"]:
        size = _k(item["cases"])
        row(
            "2",
            f"/cases/ under gunicorn (2 workers), {size} cases",
            _rate(item["list_rps"]),
        )
        row("2", "bare view, same run", _rate(item["bare_rps"]))
        # The load generator shares the two cores and costs the bare view more, relatively,
        # than the list: its rate ratio flatters the list. The ratio of the server's own CPU
        # per request has no such bias, so the target counts as met only when both meet it.
        row("2", "list ÷ bare (requests per second)", f"{100 * item['ratio']:.1f} %")
        row(
            "2",
            "bare ÷ list (server CPU per request)",
            f"{item['bare_server_cpu_ms']:.2f} ÷ {item['list_server_cpu_ms']:.2f} ms "
            f"= {100 * item['cpu_ratio']:.1f} %",
        )
        row(
            "2",
            "list ÷ bare, the lower of the two",
            f"{100 * min(item['ratio'], item['cpu_ratio']):.1f} %",
            TARGETS["throughput"],
            _status(min(item["ratio"], item["cpu_ratio"]) >= 0.20),
        )

    detail = results.get("detail")
    if detail:
        row(
            "3",
            f"case page, {detail['notes']} notes (titles only)",
            f"{detail['detail']['ms']:.1f} ms, {detail['detail']['queries']} queries",
        )
        row(
            "3",
            "one note opened",
            f"{detail['note']['ms']:.1f} ms, {detail['note']['queries']} queries",
        )

    for item in results["rotation"]:
        named = item["cases"] >= 200_000
        projected = item["seconds"] * 200_000 / item["cases"]
        row(
            "4",
            f"rotate_keys, {_k(item['cases'])} cases ({item['keys']:,} keys, "
            f"{item['party_keys']:,} of parties)",
            f"{item['seconds']:.2f} s ({item['us_per_key']:.0f} µs per key)",
            TARGETS["rotation"],
            _status(item["seconds"] <= 5, measured_as_named=True)
            if named
            else f"projected {projected:.0f} s at 200k: " + ("met" if projected <= 5 else "MISSED"),
        )

    verify, half = results["verify"], results["verify_half"]
    row(
        "5",
        f"verify_audit, {verify['events']:,} events",
        f"{verify['events_per_second']:,.0f} events/s ({verify['median_s']:.2f} s)",
        TARGETS["verify"],
        _status(
            verify["events_per_second"] >= 100_000, measured_as_named=verify["events"] >= 10**6
        ),
    )
    # Bounded: twice the events may not take noticeably more memory (allocator noise aside).
    bounded = verify["rss_added_mib"] <= 1.25 * half["rss_added_mib"] + 4
    row(
        "5",
        f"verify memory (RSS rise), {half['events']:,} → {verify['events']:,} events",
        f"{half['rss_added_mib']:.1f} → {verify['rss_added_mib']:.1f} MiB "
        f"(peak {half['rss_peak_mib']:.0f} → {verify['rss_peak_mib']:.0f} MiB)",
        TARGETS["memory"],
        _status(bounded),
    )
    invite = results["invites"]
    row(
        "6",
        f"invite generation: one attendee's invite (invite_email + MIME), "
        f"median of {invite['invites']}",
        f"{invite['ms']:.1f} ms per invite (p90 {invite['p90_ms']:.1f} ms, "
        f"{invite['bytes'] / 1024:.0f} KiB)",
    )
    feed = results["feed"]
    named = feed["sessions"] == 500
    row(
        "6",
        f"feed of {feed['sessions']} sessions (view, token), first request after a change "
        "(written with icalendar, stored)",
        f"{feed['first_ms']:.1f} ms (CPU {feed['cpu_ms']['first']:.1f} ms), {feed['queries']} "
        f"queries, {feed['bytes'] / 1024:.0f} KiB",
    )
    row(
        "6",
        "feed, repeat request (plain GET, no ETag sent; the stored copy)",
        f"{feed['repeat_ms']:.1f} ms (CPU {feed['cpu_ms']['repeat']:.1f} ms), "
        f"{feed['repeat_queries']} queries",
        TARGETS["feed"],
        _status(feed["repeat_ms"] <= 50, measured_as_named=named),
    )
    row(
        "6",
        "feed, conditional repeat (If-None-Match → 304; not the target's figure)",
        f"{feed['conditional_ms']:.1f} ms (CPU {feed['cpu_ms']['conditional']:.1f} ms)",
    )
    mail = results["outbox"]
    row(
        "7",
        "queue one invite (invite_email + outbox_enqueue: seal, insert)",
        f"{mail['queue_ms_per_invite']:.1f} ms per invite",
    )
    row(
        "7",
        f"outbox_drain in this process, {mail['mails']} mails in {mail['rounds']} rounds",
        f"{mail['drain_per_s']:.0f} mails/s ({mail['drain_s']:.2f} s)",
    )
    worker = mail["worker"]
    row(
        "7",
        f"run_worker process as shipped, {worker['mails']} mails in {worker['rounds']} rounds "
        "(pauses included)",
        f"{worker['mails_per_s']:.0f} mails/s "
        f"(first to last {worker['first_to_last_per_s']:.0f} mails/s)",
        TARGETS["outbox"],
        _status(worker["mails_per_s"] >= 40),
    )
    return rows


def table_text(rows: list[dict], results: dict) -> str:
    widths = [max(len(str(row[key])) for row in rows) for key in ("name", "figure", "target")]
    head = (
        f"Tafel benchmark, {results['size']} size, {results['database']['version']}, "
        f"{results['machine']['cpus']} CPUs, {results['date']}"
    )
    lines = [head, ""]
    header = {"measure": "#", "name": "measure", "figure": "result", "target": "target"}
    for row in [{**header, "status": "status"}, *rows]:
        lines.append(
            f"{row['measure']:<2} {row['name']:<{widths[0]}}  {row['figure']:<{widths[1]}}  "
            f"{row['target']:<{widths[2]}}  {row['status']}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
