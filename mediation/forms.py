"""Forms of the project's own pages."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError


class NoAutofocusMixin:
    """Drop Django's `autofocus` from every field.

    Autofocus skips the page's heading, skip link and language switcher, so screen reader
    users land in a field without knowing where they are (WCAG 2.4.3, focus order).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)


class LoginForm(NoAutofocusMixin, AuthenticationForm):
    """Django's login form, without autofocus."""


class TafelPasswordChangeForm(NoAutofocusMixin, PasswordChangeForm):
    """Django's password change form, without autofocus."""


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
