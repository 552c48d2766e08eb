"""Type names shared by every app, for annotations only."""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

# Tafel uses Django's own user model (no AUTH_USER_MODEL): a staff member with an account.
# Parties have no account. `AnyUser` is what `request.user` may be: also the anonymous user.
AnyUser: TypeAlias = User | AnonymousUser

__all__ = ["AnyUser", "User"]
