from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dossier.models import ErasureException
from dossier.services import REASON_MAX
from mediation.roles import Role
from mediation.validators import date_not_in_future


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


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, organisation or email address"),
        min_length=2,
        max_length=200,
        help_text=_("An email address finds the exact address; a name finds every part of one."),
    )


class ErasureForm(forms.Form):
    """Erase the person, or record why their request is refused."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("erase", _("Erase the person's data")),
            ("refuse", _("Refuse: an exception applies")),
        ],
        widget=forms.RadioSelect,
    )
    exception = forms.ChoiceField(
        label=_("Exception"),
        choices=[("", "—"), *ErasureException.choices],
        required=False,
        help_text=_("Needed when the request is refused."),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the record and the answer to the person. At most 1,000 characters."),
    )

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "refuse" and not cleaned.get("exception"):
            self.add_error("exception", _("Choose the exception that applies."))
        return cleaned


class _DateInput(forms.DateInput):
    input_type = "date"


class _MediatorField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class RegistrationPeriodForm(forms.Form):
    """The period of the registration report, and for a supervisor: whose report."""

    mediator = _MediatorField(
        label=_("Mediator"),
        queryset=get_user_model().objects.none(),
        empty_label=None,
        help_text=_("Supervisors may read the report of every mediator."),
    )
    start = forms.DateField(label=_("From"), widget=_DateInput(format="%Y-%m-%d"))
    end = forms.DateField(label=_("Up to and including"), widget=_DateInput(format="%Y-%m-%d"))

    def __init__(self, *args, pick_mediator: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if pick_mediator:
            field = self.fields["mediator"]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - for mypy
            field.queryset = (
                get_user_model()
                .objects.filter(groups__name=Role.MEDIATOR.value, is_active=True)
                .order_by("last_name", "first_name", "username")
                .distinct()
            )
        else:
            del self.fields["mediator"]

    def clean_end(self):
        end = self.cleaned_data["end"]
        date_not_in_future(end)
        return end

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("start", _("The period must start on or before its last day."))
        return data
