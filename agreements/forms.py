"""Input for the agreement pages. The services check the same limits and rules again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import ApprovalDecision, ApprovalMethod, ReviewStatus
from agreements.services import (
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TEXT_MAX_LENGTH,
)
from mediation.forms import NoAutofocusMixin, form_field
from mediation.validators import validate_free_text

MUNICIPALITY = "municipality"
# Browsers keep what is typed into fields for autofill: not for confidential text.
PRIVATE = {"autocomplete": "off"}


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementTextForm(NoAutofocusMixin, forms.Form):
    text = forms.CharField(
        label=_("What the parties agreed"),
        max_length=TEXT_MAX_LENGTH,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 14, **PRIVATE}),
        help_text=_(
            "Stored encrypted. Changing the text makes a new version: approvals of the earlier "
            "version no longer count."
        ),
    )


class ActionForm(NoAutofocusMixin, forms.Form):
    """One concrete action: what, who and by when."""

    description = forms.CharField(
        label=_("What will be done"),
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 3, **PRIVATE}),
    )
    owner = forms.ChoiceField(label=_("Who does it"), widget=forms.RadioSelect)
    due_on = forms.DateField(label=_("By when"), widget=_date_widget())

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = {str(p.pk): p for p in parties}
        form_field(self, "owner", forms.ChoiceField).choices = [
            *((key, p.party.name) for key, p in self.parties.items()),
            (MUNICIPALITY, _("The municipality")),
        ]

    def clean_owner(self):
        value = self.cleaned_data["owner"]
        return None if value == MUNICIPALITY else self.parties[value]


class ApprovalForm(NoAutofocusMixin, forms.Form):
    """A party's answer, as the mediator records it."""

    decision = forms.ChoiceField(
        label=_("The party's answer"), choices=ApprovalDecision.choices, widget=forms.RadioSelect
    )
    method = forms.ChoiceField(
        label=_("How the party answered"),
        # Answers by link are recorded by the link itself.
        choices=[(m.value, m.label) for m in (ApprovalMethod.PAPER, ApprovalMethod.EMAIL)],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=_date_widget())


class FollowUpDateForm(NoAutofocusMixin, forms.Form):
    follow_up_on = forms.DateField(
        label=_("Follow-up date"),
        widget=_date_widget(),
        help_text=_(
            "The case's mediators get a notice by email on this date (unless they turned it off)."
        ),
    )
    confirm_early = forms.BooleanField(
        label=_("Yes, follow up before every action is due"),
        required=False,
        help_text=_("Only needed when the date comes before the last action is due."),
    )

    def __init__(self, *args, has_actions: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_actions:  # nothing can be due after the date: nothing to confirm
            del self.fields["confirm_early"]


class ReviewForm(NoAutofocusMixin, forms.Form):
    """The follow-up review of one action."""

    status = forms.ChoiceField(
        label=_("Was the action carried out?"),
        choices=ReviewStatus.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 3, **PRIVATE}),
        help_text=_("Stored encrypted; only the case's mediators read it."),
    )


class SummaryForm(NoAutofocusMixin, forms.Form):
    text = forms.CharField(
        label=_("Summary for the referring coordinator"),
        max_length=SUMMARY_MAX_LENGTH,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 6, **PRIVATE}),
        help_text=_(
            "A few sentences the parties agree to share. The coordinator sees it only when every "
            "party agreed; a change asks their consent again."
        ),
    )


class SummaryConsentForm(NoAutofocusMixin, forms.Form):
    agreed_on = forms.DateField(
        label=_("Date the party agreed"), initial=timezone.localdate, widget=_date_widget()
    )


class PartyAnswerForm(forms.Form):
    """The party's own answer through its link."""

    decision = forms.ChoiceField(choices=ApprovalDecision.choices)
