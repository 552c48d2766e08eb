"""Type names shared by every app, for annotations only."""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

# Tafel uses Django's own user model (no AUTH_USER_MODEL): a staff member with an account.
# Parties have no account. `AnyUser` is what `request.user` may be: also the anonymous user.
AnyUser: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind `login_required` (or `role_required`): a staff user."""

    user: User  # type: ignore[assignment]  # narrower than HttpRequest's, by the decorator


__all__ = ["AnyUser", "AuthenticatedHttpRequest", "User"]
