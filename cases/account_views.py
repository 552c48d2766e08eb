"""The user's own settings page (the notices they receive by email and their language), and
the password change, which is audited.

In `cases` because saving is audited (see cases.services.account); the root URLconf wires it
in at /accounts/settings/ as `account_settings`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases.services import password_change_record, user_settings_update
from mediation.forms import TafelPasswordChangeForm, UserSettingsForm
from mediation.models import user_settings_for
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
