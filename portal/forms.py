from django import forms
from django.utils.translation import gettext_lazy as _

from mediation.forms import form_field
from parties.forms import language_field_choices
from parties.models import Party
from scheduling.models import Rsvp

ANSWERS = [
    (Rsvp.ACCEPTED, _("I will come")),
    (Rsvp.TENTATIVE, _("I may come")),
    (Rsvp.DECLINED, _("I cannot come")),
]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), choices=ANSWERS, widget=forms.RadioSelect)


class DetailsForm(forms.Form):
    """What a participant may correct about themselves, in plain words."""

    email = forms.EmailField(label=_("Email address"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    postal_address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    preferred_language = forms.ChoiceField(label=_("Language for letters and email"))
    interpreter_language = forms.ChoiceField(
        label=_("I need an interpreter for this language"),
        required=False,
        help_text=_("Leave empty if you do not need an interpreter."),
    )
    needs_step_free_access = forms.BooleanField(
        label=_("I need a place without steps (for example for a wheelchair)"), required=False
    )
    other_needs = forms.CharField(
        label=_("Something else we should know to make the talks work for you"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, party: Party, **kwargs):
        super().__init__(*args, **kwargs)
        languages = language_field_choices(party.preferred_language)
        form_field(self, "preferred_language", forms.ChoiceField).choices = languages
        form_field(self, "interpreter_language", forms.ChoiceField).choices = [
            ("", _("No interpreter")),
            *language_field_choices(party.interpreter_language),
        ]

    @staticmethod
    def initial_for(party: Party) -> dict:
        return {
            "email": party.email,
            "phone": party.phone,
            "postal_address": party.postal_address,
            "preferred_language": party.preferred_language,
            "interpreter_language": party.interpreter_language,
            "needs_step_free_access": party.needs_step_free_access,
            "other_needs": party.other_needs,
        }


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code from the email"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
