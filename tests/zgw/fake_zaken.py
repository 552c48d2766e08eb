"""A fake Zaken API: a small real HTTP server on localhost, in a thread.

It does what a Zaken API does to the calls Tafel makes: checks the ZGW JWT (HS256, the
claims of ZGW's auth spec), the CRS headers on /zaken, validates each body against the VNG
Zaken API 1.5.1 request schema (a body that does not validate gets 400, as from a real one),
refuses a rol, status or resultaat of an unknown zaak, an eindstatus without a resultaat, and
a change to a closed zaak (which needs the scope zaken.geforceerd-bijwerken), and answers like
one (url, uuid, the fields sent). It records every call it accepted.

It can be down: `stop()` closes its socket (connections are refused), `start()` opens it
again on the same port; `answer_with = 503` answers every call with that status.
"""

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt

from tests.zgw.schema import ValidationError, validate_request

API_ROOT = "/zaken/api/v1"
CLAIMS = ("iss", "iat", "client_id", "user_id", "user_representation")


@dataclass
class Received:
    method: str
    path: str  # the spec's path template, e.g. /statussen or /zaken/{uuid}
    url: str
    body: Any
    claims: dict[str, Any]


@dataclass
class FakeZaken:
    client_id: str
    secret: str
    eindstatus: str = ""  # the statustype URL that closes a zaak
    received: list[Received] = field(default_factory=list)
    refused: list[tuple[str, str, int, str]] = field(default_factory=list)
    answer_with: int | None = None
    zaken: dict[str, dict[str, Any]] = field(default_factory=dict)
    resultaten: dict[str, str] = field(default_factory=dict)  # resultaat URL -> zaak URL
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_ROOT}"

    def start(self) -> None:
        handler = type("Handler", (_Handler,), {"fake": self})
        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def of(self, path: str) -> list[Received]:
        return [call for call in self.received if call.path == path]

    def paths(self) -> list[str]:
        return [f"{call.method} {call.path}" for call in self.received]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeZaken

    def log_message(self, format: str, *args: Any) -> None:  # quiet in the test output
        pass

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _answer(self, status: int, body: Any = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _refuse(self, method: str, path: str, status: int, why: str) -> None:
        self.fake.refused.append((method, path, status, why))
        self._answer(status, {"title": why})

    def _handle(self, method: str) -> None:
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if fake.answer_with is not None:
            self._answer(fake.answer_with, {"title": "unavailable"})
            return
        if not self.path.startswith(API_ROOT):
            self._refuse(method, self.path, 404, "not found")
            return
        parts = self.path[len(API_ROOT) :].strip("/").split("/")
        template = "/" + parts[0] + ("/{uuid}" if len(parts) > 1 else "")
        try:
            claims = self._claims()
        except jwt.PyJWTError as exc:
            self._refuse(method, template, 403, f"token: {type(exc).__name__}")
            return
        crs_ok = self.headers.get("Content-Crs") == "EPSG:4326" and self.headers.get("Accept-Crs")
        if parts[0] == "zaken" and method != "DELETE" and not crs_ok:
            self._refuse(method, template, 412, "CRS headers missing")
            return
        body = json.loads(raw) if raw else None
        if method != "DELETE":
            try:
                validate_request(method, template, body)
            except (ValidationError, KeyError) as exc:
                self._refuse(method, template, 400, f"schema: {exc}")
                return
        with fake.lock:
            self._act(method, template, parts, body, claims)

    def _claims(self) -> dict[str, Any]:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise jwt.InvalidTokenError("no bearer token")
        claims = jwt.decode(
            header.removeprefix("Bearer "),
            self.fake.secret,
            algorithms=["HS256"],
            options={"require": list(CLAIMS)},
        )
        if claims["client_id"] != self.fake.client_id or claims["iss"] != self.fake.client_id:
            raise jwt.InvalidTokenError("unknown client")
        return claims

    def _act(self, method: str, template: str, parts: list[str], body: Any, claims: dict) -> None:
        fake = self.fake
        url = f"{fake.root}{self.path[len(API_ROOT) :]}"
        new_uuid = str(uuid.uuid4())
        new_url = f"{fake.root}/{parts[0]}/{new_uuid}"
        if template == "/zaken" and method == "POST":
            zaak = {
                **body,
                "url": new_url,
                "uuid": new_uuid,
                "status": None,
                "resultaat": None,
                "einddatum": None,
            }
            fake.zaken[new_url] = zaak
            answer, status = zaak, 201
        elif template == "/zaken/{uuid}" and method == "PATCH":
            if url not in fake.zaken:
                self._refuse(method, template, 404, "no such zaak")
                return
            if fake.zaken[url]["einddatum"]:
                self._refuse(method, template, 403, "closed: zaken.geforceerd-bijwerken")
                return
            fake.zaken[url].update(body)
            answer, status = fake.zaken[url], 200
        elif template in ("/rollen", "/statussen", "/resultaten") and method == "POST":
            zaak = fake.zaken.get(body["zaak"])
            if zaak is None:
                self._refuse(method, template, 400, "unknown zaak")
                return
            if template == "/statussen":
                if body["statustype"] == fake.eindstatus and zaak["resultaat"] is None:
                    self._refuse(method, template, 400, "eindstatus without a resultaat")
                    return
                zaak["status"] = new_url
                # The eindstatus closes the zaak; any other status opens it again.
                closes = body["statustype"] == fake.eindstatus
                zaak["einddatum"] = body["datumStatusGezet"][:10] if closes else None
            if template == "/resultaten":
                if zaak["resultaat"] is not None:
                    self._refuse(method, template, 400, "the zaak has a resultaat")
                    return
                zaak["resultaat"] = new_url
                fake.resultaten[new_url] = zaak["url"]
            answer, status = {**body, "url": new_url, "uuid": new_uuid}, 201
        elif template == "/resultaten/{uuid}" and method == "DELETE":
            zaak_url = fake.resultaten.get(url)
            if zaak_url is None:
                self._refuse(method, template, 404, "no such resultaat")
                return
            if fake.zaken[zaak_url]["einddatum"]:
                self._refuse(method, template, 403, "closed: zaken.geforceerd-bijwerken")
                return
            del fake.resultaten[url]
            fake.zaken[zaak_url]["resultaat"] = None
            answer, status = None, 204
        else:
            self._refuse(method, template, 405, "not supported by the fake")
            return
        fake.received.append(Received(method, template, url, body, claims))
        self._answer(status, answer)
