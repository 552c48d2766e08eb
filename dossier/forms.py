from django import forms
from django.utils.translation import gettext_lazy as _

from dossier.services import REASON_MAX


class ReasonForm(forms.Form):
    """A reason for the record: setting or lifting a legal hold, rejecting a list."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the record; it names no one unless needed. At most 1,000 characters."),
    )


class ExecuteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that the records on this list are destroyed for good and cannot be "
            "brought back."
        ),
        error_messages={"required": _("Confirm that the records may be destroyed for good.")},
    )
