"""The measures of issue 10. Each returns plain data; the runner prints and saves it.

Pages 1 and 3 are measured in process with Django's test client: the full request handler,
middleware, view, queries and template, without HTTP. Measure 2 is the same page over HTTP
under gunicorn. Every measure checks that it measured what it names (a 200 with the cases in
it, every key re-wrapped, the whole chain verified): a shortcut that fails fast never passes
for a fast result.
"""

import cProfile
import importlib.util
import io
import json
import os
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from importlib import import_module
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.keys import master_keys_rotate
from cases.permissions import visible_cases
from mediation import crypto
from mediation.models import DataKey, KeyPurpose

BASE_DIR = Path(__file__).resolve().parent.parent
_CASE_LINK = re.compile(rb'href="/cases/\d+/"')
PAGE_BUDGET_S = 15.0


def median_of(function, *, runs: int, warmup: int = 1) -> tuple[float, list[float]]:
    """Median wall time of `runs` calls after `warmup` untimed ones, and every sample."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), samples


def profile(function, path: Path | None) -> None:
    """Write a cProfile of one call to `path` (.prof) and its top functions beside it (.txt)."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    profiler = cProfile.Profile()
    profiler.runcall(function)
    profiler.dump_stats(path)
    profile_summary(path)


def profile_summary(path: Path) -> None:
    text = io.StringIO()
    stats = pstats.Stats(str(path), stream=text).strip_dirs()
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)
    path.with_suffix(".txt").write_text(text.getvalue())


def session_cookie(user) -> str:
    """A logged-in session for `user`, made as django.contrib.auth.login makes it (no audit
    event: the bench logs nobody in), as a Cookie header value."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def logged_in_client(user) -> Client:
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="nl")
    name, value = session_cookie(user).split("=", 1)
    client.cookies[name] = value
    return client


def page(client: Client, url: str, *, runs: int, links: int | None = None, prof=None) -> dict:
    """Median time and query count of GET `url`; checks a 200 (and `links` case links)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Read them now: every later request clears Django's query log.
    captured = [query["sql"] for query in queries.captured_queries]
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not 200")
    found = len(_CASE_LINK.findall(response.content))
    if links is not None and found != links:
        raise RuntimeError(f"GET {url} shows {found} case links, not {links}")
    # A slow page gets fewer samples (at least 3) so that the run keeps to its time budget;
    # the samples are saved. The first request above warmed up; the next one sets the number.
    started = time.perf_counter()
    client.get(url)
    once = time.perf_counter() - started
    runs = max(3, min(runs, int(PAGE_BUDGET_S / max(once, 1e-3))))
    median, samples = median_of(lambda: client.get(url), runs=runs, warmup=0)
    samples.append(once)
    median = statistics.median(samples)
    profile(lambda: client.get(url), prof)
    return {
        "url": url,
        "ms": 1000 * median,
        "samples_ms": [round(1000 * sample, 2) for sample in samples],
        "queries": len(captured),
        "sql": [sql[:300] for sql in captured],
        "bytes": len(response.content),
    }


def case_list(world, *, runs: int, profile_dir: Path | None) -> dict:
    """Measure 1 at the current size: the mediator's list, and a supervisor's for reference."""
    size = world.cases
    mediator = logged_in_client(world.mediator)
    supervisor = logged_in_client(world.supervisor)
    return {
        "cases": size,
        "mediator_visible": visible_cases(world.mediator).count(),
        "mediator": page(
            mediator,
            "/cases/",
            runs=runs,
            links=25,
            prof=profile_dir / f"1-case-list-{size}.prof" if profile_dir else None,
        ),
        "supervisor": page(supervisor, "/cases/", runs=runs, links=25),
    }


def working_day(world, *, runs: int, profile_dir: Path | None) -> dict:
    """Measure 8 at the current size: the homes of each role, the board, the to-do list, and
    the supervisor's case list (all cases visible, read a page at a time from a key)."""
    size = world.cases
    mediator = logged_in_client(world.mediator)
    supervisor = logged_in_client(world.supervisor)
    coordinator = logged_in_client(world.coordinator)
    # A first visit to a home records it (dashboard.HomeVisit); every later one only reads.
    for client in (mediator, supervisor, coordinator):
        client.get("/")
    prof = (lambda name: profile_dir / f"8-{name}-{size}.prof") if profile_dir else (lambda n: None)
    return {
        "cases": size,
        "mediator_home": page(mediator, "/", runs=runs, prof=prof("mediator-home")),
        "supervisor_home": page(supervisor, "/", runs=runs, prof=prof("supervisor-home")),
        "coordinator_home": page(coordinator, "/", runs=runs),
        "mediator_board": page(mediator, "/board/", runs=runs, prof=prof("mediator-board")),
        "supervisor_board": page(supervisor, "/board/", runs=runs, prof=prof("supervisor-board")),
        "mediator_todo": page(mediator, "/todo/", runs=runs),
        "supervisor_list": page(supervisor, "/cases/", runs=runs, links=25),
    }


def reports(world, *, runs: int, profile_dir: Path | None) -> dict:
    """Measure 9 (issue 19) at the current size: the supervisor's report over the current year
    (the default) and over the last ten years (every case), and a coordinator's own."""
    size = world.cases
    supervisor = logged_in_client(world.supervisor)
    coordinator = logged_in_client(get_user_model().objects.get(pk=world.coordinator_ids[0]))
    today = timezone.localdate()
    # Whole months, as the year and the annual overview are: the report reads those from its
    # stored tallies (a period's partial first and last month are counted from the cases).
    first = (today.replace(year=today.year - 10, day=1) + timedelta(days=32)).replace(day=1)
    last = (today.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    ten_years = f"/reports/?start={first}"
    prof = (lambda name: profile_dir / f"9-{name}-{size}.prof") if profile_dir else (lambda n: None)
    return {
        "cases": size,
        "supervisor_year": page(supervisor, "/reports/", runs=runs, prof=prof("year")),
        "supervisor_ten_years": page(
            supervisor, f"{ten_years}&end={last}", runs=runs, prof=prof("ten-years")
        ),
        "coordinator_ten_years": page(coordinator, f"{ten_years}&end={last}", runs=runs),
    }


def reports_in_own_process(
    *, cases: int, coordinator_id: int, runs: int, profile_dir: Path | None, var_dir: Path | None
) -> dict:
    """Measure 9 in a process that has only set Django up (bench.report_worker), as a web
    worker serves the report: not in the runner, which holds what it generated in bulk.
    `var_dir` points it at a snapshot of the SQLite database (else the runner's database)."""
    command = [
        sys.executable,
        "-m",
        "bench.report_worker",
        f"--cases={cases}",
        f"--coordinator={coordinator_id}",
        f"--runs={runs}",
    ]
    if profile_dir:
        command.append(f"--profile-dir={profile_dir}")
    return worker_result(
        command, env={**os.environ, "TAFEL_VAR_DIR": str(var_dir)} if var_dir else None
    )


REPORT_KEYS = ("supervisor_year", "supervisor_ten_years", "coordinator_ten_years")


def reports_interleaved(
    snapshots: dict[int, Path], *, coordinator_id: int, runs: int, rounds: int, profile_dir
) -> list[dict]:
    """Measure 9 on a snapshot of the database at each size, the sizes taking turns: round
    after round, a fresh process per size (2k, 20k, 200k, 2k, ...). Whatever else the machine
    does while the bench runs then weighs on every size alike, where measuring each size once,
    minutes apart, let it decide the ratio (bench/RESULTS.md, 2026-12-04). A page's figure is
    the median of its rounds' medians; its query count must be the same in every round."""
    per_size: dict[int, list[dict]] = {size: [] for size in snapshots}
    for number in range(rounds):
        for size, folder in snapshots.items():
            per_size[size].append(
                reports_in_own_process(
                    cases=size,
                    coordinator_id=coordinator_id,
                    runs=runs,
                    profile_dir=profile_dir if number == 0 else None,
                    var_dir=folder,
                )
            )
    results = []
    for size, measured in per_size.items():
        result: dict = {"cases": size, "rounds": rounds, "gc_objects": measured[0]["gc_objects"]}
        for key in REPORT_KEYS:
            counts = {item[key]["queries"] for item in measured}
            if len(counts) != 1:
                raise RuntimeError(f"{key} at {size} cases made {sorted(counts)} queries")
            medians = [item[key]["ms"] for item in measured]
            result[key] = {
                "url": measured[0][key]["url"],
                "ms": statistics.median(medians),
                "round_ms": [round(ms, 2) for ms in medians],
                "queries": counts.pop(),
                "sql": measured[0][key]["sql"],
                "bytes": measured[0][key]["bytes"],
            }
        results.append(result)
    return results


def database_snapshot(folder: Path) -> Path:
    """A consistent copy of the SQLite bench database in `folder` (VACUUM INTO), for a later
    measure at this size; returns the folder, to serve as the copy's TAFEL_VAR_DIR."""
    folder.mkdir(parents=True, exist_ok=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(folder / "db.sqlite3")])
    return folder


def case_detail(world, *, runs: int, profile_dir: Path | None) -> dict:
    """Measure 3: the case page with 50 notes (titles only), and one note opened."""
    client = logged_in_client(world.mediator)
    case_id, note_id = world.showcase_case_id, world.showcase_note_ids[-1]
    prof = (lambda name: profile_dir / name) if profile_dir else (lambda name: None)
    detail = page(client, f"/cases/{case_id}/", runs=runs, prof=prof("3-case-detail.prof"))
    opened = page(
        client, f"/cases/{case_id}/notes/{note_id}/", runs=runs, prof=prof("3-note-opened.prof")
    )
    return {"notes": len(world.showcase_note_ids), "detail": detail, "note": opened}


class Keyring:
    """The master keys the bench uses: the newest first, as TAFEL_MASTER_KEYS lists them."""

    def __init__(self) -> None:
        self.keys = [key for key in settings.TAFEL_MASTER_KEYS.split(",") if key]

    def add_primary(self) -> None:
        """Put a new key first and keep the one before it (every row is wrapped by it)."""
        self.keys = [crypto.generate_master_key(), self.keys[0]]
        settings.TAFEL_MASTER_KEYS = os.environ["TAFEL_MASTER_KEYS"] = ",".join(self.keys)


def rotation(keyring: Keyring, *, runs: int, profile_dir: Path | None) -> dict:
    """Measure 4: `rotate_keys` (`master_keys_rotate`) over every data key, `runs` times, each
    to a new master key."""
    live = DataKey.objects.filter(wrapped__isnull=False)
    by_purpose = dict(live.values_list("purpose").annotate(count=Count("pk")).order_by())
    expected = sum(by_purpose.values())
    samples = []

    def once():
        keyring.add_primary()
        started = time.perf_counter()
        report = master_keys_rotate()
        elapsed = time.perf_counter() - started
        if report.failed or report.rewrapped != expected:
            raise RuntimeError(
                f"rotation re-wrapped {report.rewrapped} of {expected} keys; "
                f"{len(report.failed)} failed"
            )
        return elapsed

    for _ in range(runs):
        samples.append(once())
    case_keys = by_purpose.get(KeyPurpose.CASE, 0)
    if profile_dir:
        profile(once, profile_dir / f"4-rotate-keys-{case_keys}.prof")
    seconds = statistics.median(samples)
    return {
        "cases": case_keys,
        "keys": expected,
        "party_keys": by_purpose.get(KeyPurpose.PARTY, 0),
        "system_keys": by_purpose.get(KeyPurpose.SYSTEM, 0),
        "seconds": seconds,
        "samples_s": [round(sample, 3) for sample in samples],
        "us_per_key": 1e6 * seconds / expected,
    }


def worker_result(command: list[str], *, env: dict[str, str] | None = None) -> dict:
    """Run a bench worker (`python -m bench.<worker> ...`) and return the JSON of its last
    line; its output in the error when it fails."""
    done = subprocess.run(  # noqa: S603 - our own module, our own arguments
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(command[1:3])} failed:\n{done.stderr}{done.stdout}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def verify(*, expect: int, runs: int, profile_dir: Path | None) -> dict:
    """Measure 5 in a process of its own (bench.verify_worker): time and peak memory."""
    command = [
        sys.executable,
        "-m",
        "bench.verify_worker",
        f"--runs={runs}",
        f"--expect={expect}",
    ]
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
        command.append(f"--profile={profile_dir / f'5-verify-audit-{expect}.prof'}")
    result = worker_result(command)
    result["events"] = expect
    result["median_s"] = statistics.median(result["seconds"])
    result["events_per_second"] = expect / result["median_s"]
    if profile_dir:
        profile_summary(profile_dir / f"5-verify-audit-{expect}.prof")
    return result


# Measure 2: throughput under gunicorn.


def gunicorn_ensure() -> str:
    """Install gunicorn into this virtualenv when it is missing (it is no app dependency)."""
    if importlib.util.find_spec("gunicorn") is None:
        print("  gunicorn is missing: pip install gunicorn (into this virtualenv only)")
        # pip of this interpreter, a fixed package name
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "gunicorn"], check=True)
    return version("gunicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _busy_cpu_seconds() -> float:
    """CPU time the whole machine spent busy (every core, every process), from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _server_cpu_seconds(master_pid: int) -> float:
    """CPU time of the server side only: gunicorn's processes and, on PostgreSQL, the
    backends connected to the bench database (their process title names it). Other work on
    the machine, such as someone's test run, is left out."""
    database = connection.settings_dict["NAME"] if connection.vendor == "postgresql" else None
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # the process ended meanwhile
        fields = stat[stat.rindex(")") + 2 :].split()
        pid, parent = int(entry.name), int(fields[1])
        ours = pid == master_pid or parent == master_pid
        if database and command.startswith("postgres: ") and f" {database} " in command:
            ours = True
        if ours:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _wait_idle(server: int, timeout: float = 180) -> None:
    """Wait until the server has no work left (wrk leaves requests behind when it stops), so
    that one run's leftovers never slow the next."""
    deadline = time.monotonic() + timeout
    last = _server_cpu_seconds(server)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = _server_cpu_seconds(server)
        if now - last < 0.03:
            return
        last = now


def _load(url: str, *, cookie: str, expect: str, generator: str, server: int, **limits) -> dict:
    _wait_idle(server)
    before, server_before = _busy_cpu_seconds(), _server_cpu_seconds(server)
    if generator == "wrk":
        result = _wrk(url, cookie=cookie, **limits)
    else:
        command = [sys.executable, "-m", "bench.load", url, f"--cookie={cookie}"]
        command += [f"--expect={expect}"] + [f"--{key}={value}" for key, value in limits.items()]
        done = subprocess.run(  # noqa: S603 - our own module, loopback URL
            command, cwd=BASE_DIR, capture_output=True, text=True, check=True
        )
        result = json.loads(done.stdout)
    result["machine_busy_cpu_s"] = _busy_cpu_seconds() - before
    if generator == "wrk":
        _wait_idle(server)  # the requests wrk abandoned still cost the server: count them
    server_cpu = _server_cpu_seconds(server) - server_before
    result["server_cpu_s"] = server_cpu
    # Only complete, checked pages count: an error or a wrong page adds nothing to the rate.
    result["server_cpu_ms_per_request"] = 1000 * server_cpu / result["ok"] if result["ok"] else 0.0
    return result


def _wrk(url: str, *, cookie: str, concurrency: int, seconds: float, requests: int) -> dict:
    """wrk (Debian package) when asked for: bounded by time; its request count is reported.

    Its own CPU use is far below bench.load's, so the bare view's rate is truer; but it counts
    only the responses it saw within the time, so a page that takes seconds needs a longer run.
    """
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("--load-generator=wrk needs wrk: apt-get install wrk")
    before = os.times()
    done = subprocess.run(  # noqa: S603 - wrk on a loopback URL
        [wrk, "-t2", f"-c{concurrency}", f"-d{int(seconds)}s", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    )
    after = os.times()
    out = done.stdout
    found = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)\b", out)
    count = int(found.group(1))
    seconds = float(found.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[found.group(3)]
    # wrk counts 3xx as success: the runner checked the page with bench.load first, and the
    # session cannot change during the run. Non-2xx/3xx and socket errors count as errors.
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: .*timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (
        int(socket_errors.group(1)) if socket_errors else 0
    )
    return {
        "url": url,
        "ok": count - (int(bad.group(1)) if bad else 0),
        "errors": errors,
        "seconds": seconds,
        "ok_per_second": (count - (int(bad.group(1)) if bad else 0)) / seconds,
        "client_cpu_seconds": (after.children_user - before.children_user)
        + (after.children_system - before.children_system),
        "wrk": out,
    }


def throughput(
    world,
    *,
    runs: int,
    seconds: float,
    requests: int,
    concurrency: int,
    generator: str,
) -> dict:
    """Measure 2: /cases/ for the mediator beside the bare view, alternating, under gunicorn
    with 2 sync workers on loopback. Both serve the same session cookie."""
    gunicorn_version = gunicorn_ensure()
    cookie = session_cookie(world.mediator)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "gunicorn", "--workers=2", f"--bind=127.0.0.1:{port}"]
    command += ["--log-level=warning", f"--chdir={BASE_DIR}", "mediation.wsgi:application"]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=os.environ.copy())  # noqa: S603
    try:
        _wait_ready(f"{base}/bench/bare/", server)
        urls = {"bare": (f"{base}/bench/bare/", "ok"), "list": (f"{base}/cases/", "MED-")}
        # A page that answers the login form instead of the list fails here, before timing.
        for url, expect in urls.values():
            check = _load(
                url,
                cookie=cookie,
                expect=expect,
                generator="python",
                server=server.pid,
                requests=2,
                seconds=60,
            )
            if check["errors"] or not check["ok"]:
                raise RuntimeError(f"{url} does not serve the page: {check['error_kinds']}")
        results: dict[str, list[dict]] = {"bare": [], "list": []}
        for _ in range(runs):
            for name, (url, expect) in urls.items():
                results[name].append(
                    _load(
                        url,
                        cookie=cookie,
                        expect=expect,
                        generator=generator,
                        server=server.pid,
                        concurrency=concurrency,
                        requests=requests,
                        seconds=seconds,
                    )
                )
    finally:
        server.terminate()
        server.wait(timeout=30)

    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in results[name])

    bare, listed = median("bare", "ok_per_second"), median("list", "ok_per_second")
    bare_cpu = median("bare", "server_cpu_ms_per_request")
    list_cpu = median("list", "server_cpu_ms_per_request") if listed else None
    for runs_of_one in results.values():
        for run in runs_of_one:
            run.pop("wrk", None)
    return {
        "cases": world.cases,
        "gunicorn": gunicorn_version,
        "workers": 2,
        "generator": generator,
        "concurrency": concurrency,
        "bare_rps": bare,
        "list_rps": listed,
        "ratio": listed / bare if bare else 0.0,
        "list_errors": sum(run["errors"] for run in results["list"]),
        "bare_server_cpu_ms": bare_cpu,
        "list_server_cpu_ms": list_cpu,
        "cpu_ratio": bare_cpu / list_cpu if list_cpu else 0.0,
        "runs": results,
    }


def _wait_ready(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited before it served a request")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute")
