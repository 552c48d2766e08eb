"""Rate limits: per client address before the token is read, and per client after.

Counted in the cache (`TAFEL_CACHE_URL`), shared by every process like the links' limits.
"""

from typing import TYPE_CHECKING

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiClient
from audit.context import client_address_for_limits

if TYPE_CHECKING:
    # Not at run time: DRF imports this module while `rest_framework.views` loads (settings).
    from rest_framework.views import APIView


class ApiAddressThrottle(SimpleRateThrottle):
    """Every call from one address, valid token or not: guessing tokens is slow."""

    scope = "api_address"

    def get_cache_key(self, request: Request, view: "APIView") -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": client_address_for_limits(request._request),
        }


class ApiClientThrottle(SimpleRateThrottle):
    """Every call of one client, from wherever it comes."""

    scope = "api_client"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if not isinstance(request.auth, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
