"""Mozilla's ical.js (the parser in Thunderbird) reads every feed and invite event at the time
the database holds, in winter and summer time and around both clock changes, 2026-2030.

Runs with the browser tests: ical.js comes from npm like axe-core (`make browser-deps`), and
node with it. Before the VTIMEZONE became yearly rules, ical.js put summer sessions an hour late.
"""

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scheduling.invites import invite_calendar
from tests.scheduling.calendar_cases import feed_text
from tests.scheduling.conftest import at, case, schedule  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "scheduling" / "icaljs_events.cjs"


def icaljs_events(text: bytes, tmp_path: Path) -> dict[str, tuple[datetime, datetime]]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "ical.js").exists():
        pytest.fail("node and ical.js are needed: run `make browser-deps` (see README).")
    path = tmp_path / "calendar.ics"
    path.write_bytes(text)
    result = subprocess.run(
        [node, str(SCRIPT), str(path)], capture_output=True, check=True, cwd=ROOT, timeout=60
    )

    def utc(value: str) -> datetime:
        return datetime.fromisoformat(value.removesuffix("Z")).replace(tzinfo=UTC)

    return {
        event["uid"]: (utc(event["start"]), utc(event["end"]))
        for event in json.loads(result.stdout)
    }


@pytest.mark.django_db
def test_icaljs_reads_every_feed_event_at_its_stored_time(tmp_path):
    text, expected = feed_text()

    assert icaljs_events(text, tmp_path) == expected


@pytest.mark.django_db
def test_icaljs_reads_invites_in_winter_and_summer_time(tmp_path, case, schedule):  # noqa: F811
    for start in (at(2027, 1, 6, 14), at(2027, 7, 6, 14), at(2030, 3, 31, 4), at(2030, 10, 27, 1)):
        session = schedule(case, starts_at=start)
        attendee = session.attendees.filter(participation__isnull=False).first()
        text = invite_calendar(session=session, attendee=attendee, method="REQUEST")

        ((found_start, found_end),) = icaljs_events(text, tmp_path).values()

        assert found_start == session.starts_at.astimezone(UTC)
        assert found_end == session.ends_at.astimezone(UTC)
