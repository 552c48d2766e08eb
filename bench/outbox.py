"""Measure 7: how fast one outbox worker sends mail to a local SMTP server.

The server is aiosmtpd on 127.0.0.1 in a process of its own (`bench.smtp_sink`); the bench
never names another mail server. The messages are real invites, queued as the scheduling
services queue them (`queue_message`: `invite_email`, then `outbox_enqueue`, sealed). Then:

- `manage.py run_worker` itself sends them, in a process of its own with its default settings
  (rounds of at most 100 messages, a pause after each): its rate over whole rounds, pauses
  included, counted from the times the server received the messages. This is the figure held
  to the target: mails per second per worker;
- the same messages, set back to waiting, are sent again by `outbox_drain` (the function the
  worker runs) called in this process round after round until every one is sent, and timed.

Checks: the server received exactly the number queued, each with its own Message-ID, and every
queued message is marked sent.
"""

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.test.utils import override_settings

from bench.measures import profile
from mediation.models import OutboxMessage, OutboxStatus
from mediation.outbox import outbox_drain
from scheduling.invites import Purpose
from scheduling.models import Session, SessionStatus
from scheduling.services.sessions import load_attendees, queue_message

BASE_DIR = Path(__file__).resolve().parent.parent
MAILS = 500
WORKER_TIMEOUT_S = 120
ROUND_GAP_S = 1.0  # run_worker waits 2 s between rounds; within a round mail leaves in ms


class Sink:
    """The SMTP server process, and what it received."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.smtp_sink"],
            cwd=BASE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.port = json.loads(self.process.stdout.readline())["port"]

    def count(self) -> dict:
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def reset(self) -> None:
        """Count afresh from here."""
        self.process.stdin.write("reset\n")
        self.process.stdin.flush()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("stop\n")
            self.process.stdin.flush()
            self.process.wait(timeout=30)


def _mail_settings(port: int) -> dict:
    """The app's SMTP settings for the sink, as mediation/settings.py sets them from
    TAFEL_EMAIL_HOST and TAFEL_EMAIL_PORT (without TLS, as on loopback)."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
    }


@contextmanager
def _sending_to(sink: Sink):
    with override_settings(**_mail_settings(sink.port)):
        yield


def _invites_queue(count: int) -> tuple[list[int], float]:
    """Queue `count` invites of planned sessions, as the services do: one transaction per
    session. Returns the outbox rows made, and the seconds it took."""
    queued, seconds = 0, 0.0
    first = OutboxMessage.objects.aggregate(last=Max("pk"))["last"] or 0
    pks = Session.objects.filter(status=SessionStatus.PLANNED).order_by("pk")
    for pk in pks.values_list("pk", flat=True).iterator():
        started = time.perf_counter()
        with transaction.atomic():
            session = Session.objects.select_related("case", "organizer").get(pk=pk)
            load_attendees(session)
            for attendee in session.attendees.all():
                if queued < count:
                    queued += queue_message(session, attendee, Purpose.INVITE)
        seconds += time.perf_counter() - started
        if queued >= count:
            made = list(OutboxMessage.objects.filter(pk__gt=first).values_list("pk", flat=True))
            if len(made) != count:
                raise RuntimeError(f"{len(made)} outbox rows for {count} invites")
            return made, seconds
    raise RuntimeError(f"only {queued} invites to queue, not {count}: more cases, or fewer --mails")


def _requeue(pks: list[int]) -> None:
    """Set sent messages back to waiting, to be sent again as they are (same Message-ID)."""
    OutboxMessage.objects.filter(pk__in=pks).update(
        status=OutboxStatus.PENDING, sent_at=None, claimed_at=None
    )


def _pending() -> int:
    return OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count()


def _drain_all(expect: int) -> tuple[int, int]:
    """Drain until `expect` messages are sent; returns (sent, rounds). Any failure stops it."""
    sent = rounds = 0
    while sent < expect:
        report = outbox_drain()
        rounds += 1
        if report.retried or report.failed or not report.sent:
            raise RuntimeError(f"the outbox did not send: {report}")
        sent += report.sent
    return sent, rounds


def _check_received(sink: Sink, pks: list[int]) -> dict:
    """What the sink received since its reset: exactly these messages, each once."""
    received = sink.count()
    if received["messages"] != len(pks) or received["message_ids"] != len(pks):
        raise RuntimeError(
            f"the SMTP server received {received['messages']} messages "
            f"({received['message_ids']} distinct), not {len(pks)}"
        )
    if OutboxMessage.objects.filter(pk__in=pks).exclude(status=OutboxStatus.SENT).exists():
        raise RuntimeError("the outbox still holds messages that were not sent")
    return received


def _worker(sink: Sink, pks: list[int]) -> dict:
    """`manage.py run_worker` in a process of its own, pointed at the sink by its
    environment, until the sink got the queued messages."""
    sink.reset()
    env = dict(os.environ)
    env.update(
        {
            "TAFEL_EMAIL_HOST": "127.0.0.1",
            "TAFEL_EMAIL_PORT": str(sink.port),
            "TAFEL_EMAIL_USE_TLS": "false",
        }
    )
    command = [sys.executable, "manage.py", "run_worker"]
    worker = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    try:
        deadline = time.monotonic() + WORKER_TIMEOUT_S
        while sink.count()["messages"] < len(pks):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("run_worker stopped, or did not send everything in time")
            time.sleep(0.2)
        # The sink has every message once the worker sent the last one; its status is saved a
        # moment later: wait for that before stopping the worker, or it may be cut off.
        while OutboxMessage.objects.filter(pk__in=pks).exclude(status=OutboxStatus.SENT).exists():
            if worker.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    times = _check_received(sink, pks)["times"]
    # The worker pauses between rounds: a gap of more than a second starts a new round.
    starts = [0] + [i for i in range(1, len(times)) if times[i] - times[i - 1] > ROUND_GAP_S]
    ends = [start - 1 for start in starts[1:]] + [len(times) - 1]
    result = {
        "mails": len(pks),
        "rounds": len(starts),
        # Each round from its first message to its last, and each pause after it.
        "round_s": [round(times[e] - times[b], 3) for b, e in zip(starts, ends, strict=True)],
        "pause_s": [round(times[b] - times[e], 3) for e, b in zip(ends, starts[1:], strict=False)],
        "span_s": times[-1] - times[0],
        "first_to_last_per_s": (len(pks) - 1) / (times[-1] - times[0]),
    }
    if len(starts) > 1:
        # Whole rounds, each with the pause after it: the rate the worker keeps up for as long
        # as mail is waiting. The first message to the last would leave one pause out.
        last = starts[-1]
        result["mails_per_s"] = last / (times[last] - times[0])
    else:
        result["mails_per_s"] = result["first_to_last_per_s"]
    return result


def outbox(*, mails: int = MAILS, profile_dir: Path | None) -> dict:
    """Measure 7: queue `mails` invites; the worker process sends them, then `outbox_drain`
    in this process sends them again (set back to waiting: queueing them anew would only
    double the measure's time)."""
    sink = Sink()
    try:
        with _sending_to(sink):
            # What other measures queued goes first, untimed and uncounted.
            _drain_all(_pending())
            pks, seconds = _invites_queue(mails)
            worker = _worker(sink, pks)

            _requeue(pks)
            sink.reset()
            started = time.perf_counter()
            sent, rounds = _drain_all(len(pks))
            elapsed = time.perf_counter() - started
            received = _check_received(sink, pks)
            if profile_dir:
                _requeue(pks[:100])
                profile(lambda: _drain_all(len(pks[:100])), profile_dir / "7-outbox-drain.prof")
    finally:
        sink.stop()
    return {
        "mails": sent,
        "rounds": rounds,
        "drain_s": elapsed,
        "drain_per_s": sent / elapsed,
        "queue_ms_per_invite": 1000 * seconds / len(pks),
        "worker": worker,
        "bytes_per_mail": received["bytes"] / len(pks),
    }
