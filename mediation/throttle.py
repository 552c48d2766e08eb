"""Sign-in throttling (django-axes) and rate limits on the links opened without an account.

Sign-in: django-axes records every failed sign-in in the database (`axes.AccessAttempt`: the
user name typed, the client address, never the password), so every app process sees them. A
sign-in is refused for `TAFEL_LOGIN_COOLOFF_MINUTES` after

- `TAFEL_LOGIN_FAILURE_LIMIT` failures for one account (from any address), or
- `TAFEL_LOGIN_ADDRESS_FAILURE_LIMIT` failures from one client address (over any accounts),

counted over the cool-off period. The two limits differ because many people of one
municipality sign in from one address. While locked, even the right password is refused, and
each refused try starts the cool-off again. The refusal is the login page with a message and
status 429 (`lockout_response`). The audit app records each lockout (`auth.locked_out`); a
supervisor or administrator can unlock early (`cases.services.lockouts`).

Links: answer links, approval links and calendar feeds are guarded by a token, so one client
address may open at most `TAFEL_LINK_RATE_LIMIT` (feeds: `TAFEL_FEED_RATE_LIMIT`) of them;
more get a plain page with status 429 (`link_rate_limit`). django-ratelimit counts in the
cache (`TAFEL_CACHE_URL`), which must be shared when several processes serve Tafel.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from mediation.forms import LoginForm


def cool_off() -> timedelta:
    """How long a lockout lasts after the last failure."""
    return get_cool_off() or timedelta(minutes=settings.TAFEL_LOGIN_COOLOFF_MINUTES)


def _recent(now: datetime | None = None):
    return AccessAttempt.objects.filter(attempt_time__gte=(now or timezone.now()) - cool_off())


class SignInThrottle(AxesDatabaseHandler):
    """Axes' database handler with a limit per account and a (higher) one per address.

    Axes compares one number of failures with one limit (`AXES_FAILURE_LIMIT`, the account's).
    The address's failures are scaled onto that limit, so each count meets the limit exactly
    when it reaches its own: `failures * account_limit // address_limit >= account_limit`
    holds if and only if `failures >= address_limit`.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        recent = _recent(now)
        username = get_client_username(request, credentials)
        by_account = 0
        if username:
            by_account = (
                recent.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0
            )
        address = getattr(request, "axes_ip_address", None)
        by_address = 0
        if address:
            by_address = (
                recent.filter(ip_address=address).aggregate(n=Sum("failures_since_start"))["n"] or 0
            )
        scaled = (
            by_address * settings.TAFEL_LOGIN_FAILURE_LIMIT
        ) // settings.TAFEL_LOGIN_ADDRESS_FAILURE_LIMIT
        return max(by_account, scaled)


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The user name typed, as the attempts are counted under it (AXES_USERNAME_CALLABLE).

    Printable characters only and at most 150 of them (Django's longest user name): hostile
    input (megabytes of text, NUL characters) must neither break the count's table nor escape
    it by varying what no account can hold.
    """
    field = str(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"))
    source = credentials if credentials else getattr(request, "data", request.POST)
    typed = source.get(field)
    if typed is None:
        return None
    return "".join(char for char in str(typed) if char.isprintable())[:150]


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The login page, saying that signing in is paused and what to do; status 429."""
    username = get_client_username(request, credentials) or ""
    form = LoginForm(request, initial={"username": username[:150]})
    context = {
        "form": form,
        "locked_out": True,
        "cooloff_minutes": int(cool_off().total_seconds() // 60),
        "next": request.POST.get("next", ""),
    }
    return render(
        request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


@dataclass(frozen=True)
class Lockout:
    """One account or client address that may not sign in now, and until when."""

    kind: str  # "account" or "address"
    value: str
    failures: int
    until: datetime


def current_lockouts() -> list[Lockout]:
    """The accounts and addresses locked out now, the latest first (two grouped queries)."""
    now = timezone.now()
    recent = _recent(now)
    found: list[Lockout] = []
    for kind, field, limit in (
        ("account", "username", settings.TAFEL_LOGIN_FAILURE_LIMIT),
        ("address", "ip_address", settings.TAFEL_LOGIN_ADDRESS_FAILURE_LIMIT),
    ):
        # Not `exclude(field="")`: an empty address is stored and compared as NULL.
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .exclude(**{f"{field}__in": ["", None]} if field == "username" else {})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
        )
        found.extend(
            Lockout(kind, str(row[field]), row["failures"], row["last"] + cool_off())
            for row in rows
        )
    return sorted(found, key=lambda lockout: lockout.until, reverse=True)


def lockout_clear(*, kind: str, value: str) -> int:
    """Forget the failed sign-ins of one account or address; return how many records went.

    Only `cases.services.lockouts.lockout_release` calls this: it checks the right and audits.
    """
    field = {"account": "username", "address": "ip_address"}[kind]
    deleted, _by_model = AccessAttempt.objects.filter(**{field: value}).delete()
    return deleted


def link_rate_limit(group: str, rate_setting: str = "TAFEL_LINK_RATE_LIMIT"):
    """View decorator: at most the rate in `rate_setting` of requests per client address to
    the views of `group`; over it, a plain page that explains itself, with status 429."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if is_ratelimited(
                request,
                group=f"tafel.{group}",
                key="ip",
                rate=getattr(settings, rate_setting),
                method=ALL,
                increment=True,
            ):
                return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
