"""The HTTP outbox keeps the email outbox's promises: a call exists exactly when its change was
committed, a group leaves in order, a receiver that is away means retries with backoff (the
same event id each time), a refused call fails at once, and the worker runs it."""

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from mediation import jobs
from mediation.http_outbox import (
    HttpCall,
    http_enqueue,
    http_outbox_drain,
    http_outbox_retry,
    register_http_sender,
)
from mediation.models import HttpDelivery, OutboxStatus
from mediation.queueing import FIRST_RETRY, MAX_ATTEMPTS
from tests.cases.test_concurrency import run_at_once

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on localhost: answers each path with the status set for it."""

    def __init__(self) -> None:
        self.answers: dict[str, int] = {}
        self.retry_after = ""
        self.received: list[tuple[str, str, dict]] = []  # path, event id, body
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status = receiver.answers.get(self.path, 200)
                if status == 200:
                    receiver.received.append((self.path, self.headers["X-Event-Id"], body))
                self.send_response(status)
                if receiver.retry_after:
                    self.send_header("Retry-After", receiver.retry_after)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.stop()


def _prepare(delivery: HttpDelivery) -> HttpCall:
    # The sender builds the headers when the call is made: here the event id.
    return HttpCall(delivery.method, delivery.url, delivery.body, {"X-Event-Id": str(delivery.uid)})


@pytest.fixture(autouse=True)
def _test_sender():
    register_http_sender("test", _prepare)


def queue(receiver: Receiver, path: str, group: str = "", number: int = 0) -> HttpDelivery:
    return http_enqueue(
        sender="test",
        purpose="test.call",
        method="post",
        url=f"{receiver.url}{path}",
        body={"number": number},
        group=group,
    )


def test_a_call_queued_in_a_change_that_rolled_back_does_not_exist(receiver):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(receiver, "/a")
        raise RuntimeError("the change failed")
    assert not HttpDelivery.objects.exists()


def test_a_call_needs_a_registered_sender(receiver):
    with pytest.raises(ValueError, match="no HTTP sender"):
        http_enqueue(sender="nobody", purpose="x", method="POST", url=receiver.url)


def test_a_group_leaves_in_order_while_another_group_goes_on(receiver):
    receiver.answers["/down"] = 503
    queue(receiver, "/down", group="a", number=1)
    queue(receiver, "/up", group="a", number=2)
    queue(receiver, "/up", group="b", number=3)

    report = http_outbox_drain()

    assert (report.sent, report.retried) == (1, 1)
    assert [body["number"] for _path, _id, body in receiver.received] == [3]
    receiver.answers.clear()
    http_outbox_drain(now=timezone.now() + FIRST_RETRY)
    assert [body["number"] for _path, _id, body in receiver.received] == [3, 1, 2]


def test_a_call_tried_again_keeps_its_event_id_and_backs_off_exponentially(receiver):
    receiver.answers["/a"] = 502
    delivery = queue(receiver, "/a")
    start = timezone.now()
    waits = []
    for attempt in range(1, 4):
        http_outbox_drain(now=start)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        # Whole seconds: the drain's clock moved on by the moments the call took.
        waits.append(int((delivery.next_attempt_at - start).total_seconds()))
        start = delivery.next_attempt_at
    assert waits == [int(FIRST_RETRY.total_seconds()) * factor for factor in (1, 2, 4)]
    receiver.answers.clear()
    http_outbox_drain(now=start)
    assert receiver.received == [("/a", str(delivery.uid), {"number": 0})]


def test_a_receiver_that_asks_to_wait_is_left_alone_that_long(receiver):
    receiver.answers["/a"], receiver.retry_after = 429, "600"
    delivery = queue(receiver, "/a")
    now = timezone.now()
    http_outbox_drain(now=now)
    delivery.refresh_from_db()
    assert int((delivery.next_attempt_at - now).total_seconds()) == 600


def test_a_call_given_up_after_the_last_try_can_be_queued_again(receiver):
    receiver.answers["/a"] = 503
    delivery = queue(receiver, "/a")
    now = timezone.now()
    for _try in range(MAX_ATTEMPTS):
        http_outbox_drain(now=now)
        now += timedelta(days=1)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (OutboxStatus.FAILED, MAX_ATTEMPTS)

    assert http_outbox_retry(delivery=delivery)
    receiver.answers.clear()
    assert http_outbox_drain(now=now).sent == 1


def test_a_refused_call_fails_at_once_and_its_group_goes_on(receiver):
    receiver.answers["/a"] = 422
    refused = queue(receiver, "/a", group="g")
    queue(receiver, "/b", group="g")

    report = http_outbox_drain()

    assert (report.failed, report.sent) == (1, 1)
    refused.refresh_from_db()
    assert (refused.status, refused.last_error, refused.attempts) == ("failed", "HTTP 422", 0)


def test_the_worker_runs_the_http_outbox():
    assert "http-outbox" in jobs._jobs


def test_run_worker_once_makes_the_calls_that_are_due(receiver):
    queue(receiver, "/a")

    call_command("run_worker", "--once", stdout=StringIO())

    assert [path for path, _id, _body in receiver.received] == ["/a"]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_make_each_call_once_and_each_group_in_order(receiver):
    for number in range(12):
        queue(receiver, "/a", group=f"g{number % 3}", number=number)

    run_at_once(http_outbox_drain, http_outbox_drain)
    http_outbox_drain()  # whatever a group's order left for a next round

    numbers = [body["number"] for _path, _id, body in receiver.received]
    assert sorted(numbers) == list(range(12))
    for group in range(3):
        in_group = [number for number in numbers if number % 3 == group]
        assert in_group == sorted(in_group)
