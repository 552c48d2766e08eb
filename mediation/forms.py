"""Forms of the project's own pages."""

from typing import TypeVar

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from mediation.models import NoticeKind, UserSettings


class NoAutofocusMixin:
    """Drop Django's `autofocus` from every field.

    Autofocus skips the page's heading, skip link and language switcher, so screen reader
    users land in a field without knowing where they are (WCAG 2.4.3, focus order).
    """

    fields: dict[str, forms.Field]  # the form's, which this mixin comes before

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)


class LoginForm(NoAutofocusMixin, AuthenticationForm):
    """Django's login form, without autofocus."""


class TafelPasswordChangeForm(NoAutofocusMixin, PasswordChangeForm):
    """Django's password change form, without autofocus."""


FieldT = TypeVar("FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's field `name`, as the kind of field it is (to set its choices or queryset)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class UserSettingsForm(NoAutofocusMixin, forms.Form):
    """A user's own settings: the notices they receive by email and the language of their email.

    The checkboxes name the notices the user *receives*; the model keeps the ones turned off.
    """

    notices = forms.MultipleChoiceField(
        label=_("Email me when"),
        choices=NoticeKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "These messages say only what happened on one of your cases, with a link: never "
            "names, notes or the agreement's text."
        ),
    )
    email_language = forms.ChoiceField(
        label=_("Language of my email"),
        # Each language in its own name, as in the language switcher.
        choices=[
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ],
        widget=forms.RadioSelect,
    )

    @classmethod
    def for_settings(cls, current: UserSettings, data=None) -> "UserSettingsForm":
        """The form filled in with the user's current settings (or bound to `data`)."""
        initial = {
            "notices": [kind for kind in NoticeKind.values if current.wants(kind)],
            "email_language": current.email_language,
        }
        return cls(data, initial=initial)

    def notices_off(self) -> list[str]:
        """The kinds left unticked, in the order of NoticeKind."""
        chosen = set(self.cleaned_data["notices"])
        return [kind for kind in NoticeKind.values if kind not in chosen]
