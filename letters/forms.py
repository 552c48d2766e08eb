"""The form that makes a closing letter for one participant."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from letters.services import CLOSING_ROLES
from mediation.forms import form_field
from parties.models import Participation


class _ParticipantField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Participation) -> str:
        return f"{obj.party.name} ({obj.get_role_display()})"


class ClosingLetterForm(forms.Form):
    participation = _ParticipantField(
        label=_("Closing letter for"),
        queryset=Participation.objects.none(),
        empty_label=None,
        help_text=_("Made from the organisation's closing letter template, in their language."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "participation", _ParticipantField).queryset = (
            Participation.objects.active()
            .filter(case=case, role__in=CLOSING_ROLES)
            .select_related("party")
            .order_by("id")
        )
