"""The forms of two-factor sign-in: one field for a code, labelled and announced."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AppCodeForm(forms.Form):
    """The six-digit code an authenticator app shows, to confirm a new app."""

    code = forms.CharField(
        label=_("Code from the app"),
        help_text=_("The 6 digits the app shows now. A new code appears every 30 seconds."),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
                "size": "8",
            }
        ),
        error_messages={"required": _("Enter the 6-digit code from the app.")},
    )


class VerifyForm(AppCodeForm):
    """The code from the app, at sign-in."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6 digits the app shows now."),
        max_length=12,
        widget=AppCodeForm.base_fields["code"].widget,
        error_messages={"required": _("Enter the 6-digit code from the app.")},
    )


class RecoveryForm(forms.Form):
    """One of the recovery codes, at sign-in, when the app or passkey is not at hand."""

    recovery_code = forms.CharField(
        label=_("Recovery code"),
        help_text=_("16 letters and digits, with or without the dashes. Each code works once."),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "size": "22",
            }
        ),
        error_messages={"required": _("Enter one of your recovery codes.")},
    )
