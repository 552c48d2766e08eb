"""Who is calling: `Authorization: Bearer <token>`, one client per token."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from api.models import ApiClient
from api.selectors import api_client_for_token
from api.services import api_client_used, token_hash
from mediation.types import User

# No token is longer; a longer header is refused before it is hashed.
TOKEN_MAX_LENGTH = 100
REFUSED = _("The token is not valid, or no longer valid.")


class ApiTokenAuthentication(BaseAuthentication):
    """A bearer token of an active client whose coordinator is active.

    `request.user` is the coordinator the client acts as; `request.auth` is the client.
    Without an Authorization header the call is anonymous, which the views refuse with 401.
    """

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiClient] | None:
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword:
            return None
        if len(words) != 2 or len(words[1]) > TOKEN_MAX_LENGTH:
            raise AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        try:
            token = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(REFUSED) from None
        client = api_client_for_token(token_hash(token))
        if client is None or not client.active or not client.acts_as.is_active:
            raise AuthenticationFailed(REFUSED)
        api_client_used(client)
        return client.acts_as, client

    def authenticate_header(self, request: Request) -> str:
        # Present, so that a call without a valid token is a 401 (not a 403).
        return 'Bearer realm="api"'
