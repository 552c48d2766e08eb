"""The administrator's form for a municipality's Zaken API configuration."""

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStatus, Outcome
from zgw.models import ZgwConfiguration
from zgw.services import configuration_secret_set


def https_first(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """The form field of `field`; an address typed without a scheme is taken as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ZgwConfigurationForm(forms.ModelForm):
    """The configuration with its client secret, which can be set but never read back."""

    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Stored sealed and never shown again. Leave empty to keep the secret stored now."
        ),
    )

    class Meta:
        model = ZgwConfiguration
        fields = [
            "organisation",
            "active",
            "zaken_api_url",
            "zaaktype_url",
            "bronorganisatie",
            "verantwoordelijke_organisatie",
            "vertrouwelijkheidaanduiding",
            "archiefnominatie",
            "roltype_url",
            "client_id",
            *(f"statustype_{status}" for status in CaseStatus.values),
            *(f"resultaattype_{outcome}" for outcome in Outcome.values),
        ]
        formfield_callback = https_first

    def clean(self):
        cleaned = super().clean()
        if not self.cleaned_data.get("client_secret") and not self.instance.sealed_secret:
            self.add_error("client_secret", _("Enter the client secret."))
        return cleaned

    def save(self, commit: bool = True) -> ZgwConfiguration:
        configuration = super().save(commit=False)
        secret = self.cleaned_data.get("client_secret")
        if secret:
            configuration_secret_set(configuration=configuration, secret=secret)
        if commit:
            configuration.save()
        return configuration
