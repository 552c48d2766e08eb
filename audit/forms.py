"""Filters for the audit trail."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction


class AuditFilterForm(forms.Form):
    """Filter the trail by actor, action and a range of days."""

    actor = forms.CharField(
        label=_("User name"),
        required=False,
        max_length=150,
        help_text=_("The exact user name, for example mediator."),
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AuditAction.choices],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("This date must not be before the start date."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters, ready for `audit_event_list` (none when the form is invalid)."""
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
