"""What a client may do: one scope per kind of call, and a coordinator to act as."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from api.models import ApiClient, ApiScope
from mediation.roles import Role, roles_of

if TYPE_CHECKING:
    # Not at run time: DRF imports this module while `rest_framework.views` loads (settings).
    from rest_framework.views import APIView


def _client(request: Request) -> ApiClient | None:
    return request.auth if isinstance(request.auth, ApiClient) else None


class IsApiClient(BasePermission):
    """A client with a valid token, acting as someone who still holds the coordinator role."""

    message = _("The coordinator this client acts as no longer holds the coordinator role.")

    def has_permission(self, request: Request, view: "APIView") -> bool:
        client = _client(request)
        return client is not None and Role.COORDINATOR in roles_of(client.acts_as)


class _ScopeRequired(BasePermission):
    scope: ApiScope

    def has_permission(self, request: Request, view: "APIView") -> bool:
        client = _client(request)
        return client is not None and client.has_scope(self.scope)


class CanWriteReferrals(_ScopeRequired):
    scope = ApiScope.REFERRALS_WRITE
    message = _("This client may not send referrals (scope referrals:write).")


class CanReadCases(_ScopeRequired):
    scope = ApiScope.CASES_READ
    message = _("This client may not read referrals (scope cases:read).")
