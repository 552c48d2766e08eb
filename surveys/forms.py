from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.services import COMMENT_MAX_LENGTH, QUESTIONS, SurveyAnswers


class SurveyForm(forms.Form):
    """The party's answers: four short questions, and room for their own words."""

    impartial = forms.ChoiceField(widget=forms.RadioSelect)
    heard = forms.ChoiceField(widget=forms.RadioSelect)
    recommend = forms.ChoiceField(widget=forms.RadioSelect)
    agreements_working = forms.ChoiceField(widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Is there anything else you want to tell us? (You may leave this empty.)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only your mediators read this. Please do not write your name."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, question, choices in QUESTIONS:
            field = cast(forms.ChoiceField, self.fields[name])
            field.label = str(question)
            field.choices = choices.choices
            field.error_messages["required"] = _("Choose one of the answers.")

    def answers(self) -> SurveyAnswers:
        data = self.cleaned_data
        return SurveyAnswers(
            impartial=data["impartial"],
            heard=data["heard"],
            recommend=data["recommend"],
            agreements_working=data["agreements_working"],
            comment=data["comment"],
        )
