"""The user's own settings page (the notices they receive by email and their language), and
the password change, which is audited, and the page where a supervisor or administrator lifts a
sign-in lockout.

In `cases` because saving is audited (see cases.services.account and .lockouts); the root
URLconf wires them in at /accounts/settings/ (`account_settings`) and /accounts/lockouts/
(`lockouts`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cases.services import lockout_release, may_unlock, password_change_record, user_settings_update
from cases.services.lockouts import LOCKOUT_KINDS
from mediation.forms import TafelPasswordChangeForm, UserSettingsForm
from mediation.models import user_settings_for
from mediation.throttle import current_lockouts
from mediation.types import AuthenticatedHttpRequest


@login_required
def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show and save the signed-in user's own settings; nobody else's can be reached here."""
    form = UserSettingsForm.for_settings(
        user_settings_for(request.user), request.POST if request.method == "POST" else None
    )
    if form.is_valid():
        user_settings_update(
            user=request.user,
            email_language=form.cleaned_data["email_language"],
            notices_off=form.notices_off(),
        )
        messages.success(request, _("Your settings were saved."))
        return redirect("account_settings")
    return render(request, "cases/account_settings.html", {"form": form})


class AuditedPasswordChangeView(PasswordChangeView):
    """Django's password change, with the change recorded in the audit trail."""

    form_class = TafelPasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        password_change_record(user=form.user, actor=form.user, via="own")
        return response


password_change = AuditedPasswordChangeView.as_view()


@never_cache
@login_required
def lockouts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Accounts and addresses that may not sign in now; Unlock asks to confirm, then lifts it.

    For supervisors and administrators only (403 for everyone else).
    """
    if not may_unlock(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    kind, value = source.get("kind", ""), source.get("value", "")
    if request.method == "POST":
        try:
            lockout_release(kind=kind, value=value, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Unlocked: %(value)s can sign in again.") % {"value": value}
            )
        return redirect("lockouts")
    confirm = {"kind": kind, "value": value} if kind in LOCKOUT_KINDS and value else None
    return render(
        request, "cases/lockouts.html", {"lockouts": current_lockouts(), "confirm": confirm}
    )
