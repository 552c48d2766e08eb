"""API clients and their calls: a municipality's system acting as the referring coordinator."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from api.models import ApiReferral, ApiScope
from api.services import api_client_create
from mediation.http_outbox import http_outbox_drain
from mediation.models import HttpDelivery, OutboxStatus
from mediation.roles import Role
from tests.factories import UserFactory
from tests.smtp import free_port

ALL_SCOPES = [ApiScope.REFERRALS_WRITE, ApiScope.CASES_READ]


class Caller:
    """A system calling the API with its token: `caller.get(path)`, `caller.post(path, data)`."""

    def __init__(self, client, token: str):
        self.client = client  # the ApiClient record
        self.token = token
        self.http = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(self, path: str, data=None):
        return self.http.get(path, data)

    def post(self, path: str, data: object):
        body = data if isinstance(data, str | bytes) else json.dumps(data)
        return self.http.post(path, body, content_type="application/json")


@pytest.fixture
def make_caller(personas):
    """A new API client (acting as the persona coordinator unless told) and its caller."""

    def make(
        *, name="Zaaksysteem Utrecht", organisation="Gemeente Utrecht", scopes=None, user=None
    ):
        client, token = api_client_create(
            name=name,
            organisation=organisation,
            acts_as=user or personas.coordinator,
            scopes=ALL_SCOPES if scopes is None else scopes,
            actor=None,
        )
        return Caller(client, token)

    return make


@pytest.fixture
def caller(make_caller):
    return make_caller()


@pytest.fixture
def elsewhere(make_caller):
    """Another municipality's system, with its own coordinator."""
    coordinator = UserFactory(username="coordinator_amersfoort", roles=[Role.COORDINATOR])
    return make_caller(
        name="Zaaksysteem Amersfoort", organisation="Gemeente Amersfoort", user=coordinator
    )


def referral_body(case_kind, **overrides) -> dict:
    """A referral as a municipal system sends it."""
    body = {
        "kind": case_kind.code,
        "title": "Onrust rond de opvanglocatie",
        "referral_reason": "Bewoners en gemeente praten niet meer met elkaar.",
        "urgency": "high",
        "safety_concern": False,
        "woo_note": "",
        "parties": [
            {"kind": "group", "name": "Bewonersgroep De Hoef", "email": "hoef@example.nl"},
            {"kind": "government", "name": "Gemeente Utrecht", "organisation": "Team Opvang"},
        ],
    }
    body.update(overrides)
    return body


def link(case, caller) -> None:
    """Count a case made through the services as this client's referral (its coordinator's)."""
    ApiReferral.objects.create(client=caller.client, case=case)


REFERRALS = "/api/v1/referrals/"


def referral_url(case_id) -> str:
    return f"{REFERRALS}{case_id}/"


class Receiver:
    """A client's receiving end: a real HTTP server on a port of its own, which can be down
    (nothing listens there) and come back on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.server: ThreadingHTTPServer | None = None
        # What it answers: 204, or a refusal (its body must never reach the client).
        self.answer = 204

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tafel/events"

    def start(self) -> None:
        receiving = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiving.received.append((dict(self.headers), body))
                self.send_response(receiving.answer)
                if receiving.answer == 204:
                    self.end_headers()
                    return
                answer = b"RECEIVER-ANSWER-BODY internal details"
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def receiver(settings):
    settings.TAFEL_WEBHOOKS_ALLOW_HTTP = True  # a receiver on this machine
    receiving = Receiver()
    yield receiving
    receiving.stop()


def drain_until_done(start, rounds: int = 12) -> None:
    """Run the worker's drain as time passes (each round an hour later), until nothing waits."""
    for hour in range(rounds):
        http_outbox_drain(now=start + timedelta(hours=hour))
        if not HttpDelivery.objects.filter(status=OutboxStatus.PENDING).exists():
            return
