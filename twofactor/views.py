"""The pages of two-factor sign-in: the guided enrolment and management, and the second step."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.models import Device
from django_otp_webauthn.models import WebAuthnCredential

from mediation.types import AuthenticatedHttpRequest
from twofactor import selectors, services
from twofactor.forms import AppCodeForm, RecoveryForm, VerifyForm
from twofactor.models import AppDevice
from twofactor.rules import has_second_factor, second_factor_expected, second_factor_required


def _next(request: HttpRequest) -> str:
    """The page to continue to: `next` when it is on this site, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def enrolment(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first; a session that still owes its second step goes to it (checked in the
    database: the session's note may predate a device made in another session)."""

    @wraps(view)
    @login_required
    def wrapped(request: AuthenticatedHttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_verified() and has_second_factor(request.user):  # type: ignore[attr-defined]
            request.session[services.SESSION_HAS_DEVICE] = True
            return redirect(_with_next("twofactor:verify", request))
        return view(request, *args, **kwargs)

    return wrapped


def _with_next(name: str, request: HttpRequest, **kwargs) -> str:
    return reverse(name, kwargs=kwargs or None) + "?" + urlencode({"next": _next(request)})


@never_cache
@enrolment
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's second factors, or the guided start when they have none."""
    factors = selectors.second_factors_of(request.user)
    return render(
        request,
        "twofactor/manage.html",
        {
            "factors": factors,
            "required": second_factor_required(request.user),
            "expected": second_factor_expected(request.user),
            "next": _next(request),
        },
    )


@never_cache
@enrolment
def app_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 2 with an app: scan the QR code (or type the key), then type the code it shows."""
    device = services.totp_device_start(user=request.user)
    form = AppCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if services.totp_device_confirm(
            request=request, device=device, token=form.cleaned_data["code"]
        ):
            return _after_enrolment(request)
        form.add_error("code", services.WRONG_CODE)
    return render(
        request,
        "twofactor/app_setup.html",
        {
            "form": form,
            "qr": selectors.app_qr_data_uri(device),
            "secret": selectors.app_secret_text(device),
            "first": not selectors.second_factors_of(request.user).any,
            "next": _next(request),
        },
    )


@never_cache
@enrolment
def passkey_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 2 with a passkey: the browser asks for a fingerprint, face, PIN or security key."""
    return render(
        request,
        "twofactor/passkey_setup.html",
        {"first": not selectors.second_factors_of(request.user).any, "next": _next(request)},
    )


@enrolment  # sign-in first, so a signed-out GET goes to the login page like the others
@require_POST
def passkey_done(request: AuthenticatedHttpRequest) -> HttpResponse:
    """After the browser registered a passkey (passkey.js posts here)."""
    if not selectors.second_factors_of(request.user).passkeys:
        return redirect(_with_next("twofactor:passkey", request))
    return _after_enrolment(request)


def _after_enrolment(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 3 the first time: recovery codes. Later: back to the list, with a message."""
    if selectors.second_factors_of(request.user).recovery_left is None:
        services.recovery_codes_generate(request=request)
        return redirect(_with_next("twofactor:recovery_codes", request) + "&step=3")
    messages.success(request, _("Your second sign-in step was added."))
    return redirect(_with_next("twofactor:manage", request))


@never_cache
@enrolment
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The new recovery codes, shown once: the session forgets them as the page is made."""
    codes = request.session.pop(services.SESSION_NEW_CODES, None)
    if not codes:
        return redirect(_with_next("twofactor:manage", request))
    return render(
        request,
        "twofactor/recovery_codes.html",
        {"codes": codes, "next": _next(request), "enrolling": request.GET.get("step") == "3"},
    )


@never_cache
@enrolment
def recovery_codes_regenerate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask, then make a new set of recovery codes; the old ones stop working."""
    if not selectors.second_factors_of(request.user).any:
        return redirect("twofactor:manage")
    if request.method == "POST":
        services.recovery_codes_generate(request=request)
        return redirect(_with_next("twofactor:recovery_codes", request))
    return render(request, "twofactor/recovery_codes_regenerate.html", {"next": _next(request)})


@never_cache
@enrolment
def device_remove(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    """Ask, then remove one of the user's own apps or passkeys (another's is a 404)."""
    model: type[Device] = AppDevice if kind == "app" else WebAuthnCredential
    device = get_object_or_404(model, pk=pk, user=request.user, confirmed=True)
    factors = selectors.second_factors_of(request.user)
    last = len(factors.apps) + len(factors.passkeys) == 1
    if request.method == "POST":
        services.device_remove(request=request, device=device)
        messages.success(request, _("The second sign-in step was removed."))
        return redirect("twofactor:manage")
    return render(
        request,
        "twofactor/device_remove.html",
        {
            "device": device,
            "kind": kind,
            "last": last,
            "required": second_factor_required(request.user),
        },
    )


@never_cache
@login_required
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step of sign-in: a code from the app, a passkey, or a recovery code."""
    if request.user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next(request))
    factors = selectors.second_factors_of(request.user)
    if not (factors.any or factors.recovery_left):
        return redirect(_with_next("twofactor:manage", request))
    posted = request.POST if request.method == "POST" else None
    app_form = VerifyForm(posted if posted and "code" in posted else None)
    recovery_form = RecoveryForm(posted if posted and "recovery_code" in posted else None)
    for form, field in ((app_form, "code"), (recovery_form, "recovery_code")):
        if form.is_valid():
            result = services.second_factor_verify(request=request, code=form.cleaned_data[field])
            if result.device is not None:
                if services.device_kind(result.device) == "recovery":
                    messages.warning(
                        request,
                        _("You used a recovery code. It will not work again."),
                    )
                return redirect(_next(request))
            form.add_error(field, result.error)
    return render(
        request,
        "twofactor/verify.html",
        {
            "factors": factors,
            "app_form": app_form,
            "recovery_form": recovery_form,
            "next": _next(request),
            "has_errors": app_form.errors or recovery_form.errors,
        },
    )
