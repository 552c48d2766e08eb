"""Links in email follow the address `make run` serves (issue 15, part 8)."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dry_run(*arguments: str) -> str:
    done = subprocess.run(
        ["make", "-n", "-o", "setup", "run", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k not in ("TAFEL_BASE_URL", "ADDRESS")},
    )
    return done.stdout


def test_make_run_gives_the_worker_and_the_server_the_address_it_serves():
    default = dry_run()
    assert "export TAFEL_BASE_URL='http://127.0.0.1:8000'" in default
    assert "runserver 127.0.0.1:8000" in default

    elsewhere = dry_run("ADDRESS=192.168.1.20:8000")
    assert "export TAFEL_BASE_URL='http://192.168.1.20:8000'" in elsewhere
    assert "runserver 192.168.1.20:8000" in elsewhere
    assert elsewhere.index("export TAFEL_BASE_URL") < elsewhere.index("run_worker")


def test_a_chosen_public_address_wins():
    output = dry_run("ADDRESS=0.0.0.0:8000", "TAFEL_BASE_URL=http://laptop.local:8000")
    assert "export TAFEL_BASE_URL='http://laptop.local:8000'" in output


def test_the_quick_start_says_how_links_in_email_get_their_address():
    quick_start = (ROOT / "README.md").read_text().split("## What Tafel is")[0]
    assert "TAFEL_BASE_URL" in quick_start and "ADDRESS=" in quick_start
    assert "`admin`" in quick_start
