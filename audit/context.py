"""Where the current request comes from, for the audit trail.

Middleware sets the client address for the duration of a request, so services record it without
passing the request around. Commands and workers have none: their events carry no address.
"""

import ipaddress
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

_client_address: ContextVar[str | None] = ContextVar("audit_client_address", default=None)


def client_address_of(request: HttpRequest) -> str | None:
    """Return the client's IP address; behind a proxy, the one the proxy appended last."""
    raw = request.META.get("REMOTE_ADDR", "")
    if settings.TAFEL_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            raw = forwarded.split(",")[-1]
    return normalised_address(raw)


def normalised_address(raw: str | None) -> str | None:
    """Return `raw` in the one spelling every database gives back, or None if it is no address.

    IPv4 addresses mapped into IPv6 become plain IPv4, so the hashed text survives the round
    trip through PostgreSQL's inet type.
    """
    try:
        address = ipaddress.ip_address((raw or "").strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def current_client_address() -> str | None:
    """Return the address of the request being handled, or None outside a request."""
    return _client_address.get()


class AuditContextMiddleware:
    """Make the request's client address available to `audit_record`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_address.set(client_address_of(request))
        try:
            return self.get_response(request)
        finally:
            _client_address.reset(token)


def client_address_for_limits(request: HttpRequest) -> str:
    """The client's address for rate limits; one shared key when it is no address at all."""
    return client_address_of(request) or "0.0.0.0"  # noqa: S104 (a key, not a bind address)
