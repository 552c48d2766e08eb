"""Type names shared by every app, for annotations only."""

from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    from django.utils.functional import Promise

    # Text or lazily translated text (gettext_lazy). django-stubs names the lazy kind; at run
    # time it is a Promise (the alias of django_stubs_ext, which is installed only for checks).
    StrOrPromise = str | Promise

# Tafel uses Django's own user model (no AUTH_USER_MODEL): a staff member with an account.
# Parties have no account. `AnyUser` is what `request.user` may be: also the anonymous user.
AnyUser: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind `login_required` (or `role_required`): a staff user."""

    user: User  # narrower than HttpRequest's, by the decorator


__all__ = ["AnyUser", "AuthenticatedHttpRequest", "StrOrPromise", "User"]
