"""Input for the case list, assignment, declarations, transitions and confidential notes."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.guards import person_name
from cases.models import CaseKind, CaseStatus, Declaration, NoteKind, Outcome
from cases.selectors import mediator_choices
from cases.services.notes import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from mediation.forms import form_field
from mediation.roles import Role, is_admin_account, roles_of
from mediation.types import User
from mediation.validators import validate_free_text, validate_single_line


class CaseFilterForm(forms.Form):
    """Filters of the case list."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Reference or words from the title."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *CaseStatus.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "kind", forms.ChoiceField).choices = [
            ("", _("All kinds")),
            *((kind.code, str(kind)) for kind in CaseKind.objects.all()),
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"search": data["q"].strip(), "status": data["status"], "kind": data["kind"]}


class _AnyActiveUserMixin:
    """Offer the mediators, but accept any active user's id: the form then says why someone
    else cannot be chosen, and an administrator's id is refused and recorded (not just 'not
    a valid choice'), however the request was made."""

    def clean(self, value: Any) -> Any:
        field: Any = self
        offered = field.queryset
        field.queryset = get_user_model().objects.filter(is_active=True)
        try:
            return super().clean(value)  # type: ignore[misc]
        finally:
            field.queryset = offered

    def label_from_instance(self, obj: User) -> str:
        return person_name(obj)


class MediatorField(_AnyActiveUserMixin, forms.ModelChoiceField):
    pass


class MediatorsField(_AnyActiveUserMixin, forms.ModelMultipleChoiceField):
    pass


class AssignmentForm(forms.Form):
    """A supervisor chooses the lead mediator and any co-mediators."""

    lead = MediatorField(label=_("Lead mediator"), queryset=mediator_choices())
    co_mediators = MediatorsField(
        label=_("Co-mediators"),
        queryset=mediator_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        lead, co = cleaned.get("lead"), cleaned.get("co_mediators") or []
        if lead and lead in co:
            self.add_error("co_mediators", _("The lead mediator cannot also be a co-mediator."))
        for field, users in (("lead", [lead] if lead else []), ("co_mediators", co)):
            for user in users:
                # Administrators are refused by the service, which records the attempt.
                if not is_admin_account(user) and Role.MEDIATOR not in roles_of(user):
                    self.add_error(
                        field,
                        _("%(name)s is not an active mediator.") % {"name": user.get_username()},
                    )
        return cleaned


class DeclarationForm(forms.Form):
    """A mediator's conflict-of-interest declaration."""

    declaration = forms.ChoiceField(
        label=_("Your declaration"), choices=Declaration.choices, widget=forms.RadioSelect
    )
    disclosure = forms.CharField(
        label=_("What is the conflict of interest?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only when you disclose one: your relationship with the party."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        if (
            cleaned.get("declaration") == Declaration.DISCLOSED
            and not (cleaned.get("disclosure") or "").strip()
        ):
            self.add_error("disclosure", _("Describe the conflict of interest you disclose."))
        return cleaned


class ConflictAcceptanceForm(forms.Form):
    accepted_on = forms.DateField(
        label=_("Date the parties accepted"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class TransitionForm(forms.Form):
    """A lifecycle step, with the status the user saw and an optional or required reason."""

    name = forms.CharField(widget=forms.HiddenInput, max_length=50)
    expected_status = forms.ChoiceField(choices=CaseStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Only for steps that offer outcomes (close); case_transition refuses any other.
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=Outcome.choices)


class NoteForm(forms.Form):
    """A confidential note: its kind, title and text. The service checks the same limits."""

    kind = forms.ChoiceField(
        label=_("Kind of note"),
        choices=NoteKind.choices,
        initial=NoteKind.WORKING,
        widget=forms.RadioSelect,
        help_text=_(
            "A working note is your own working material; a dossier record (a report, an "
            "interim agreement) belongs to the case file."
        ),
    )
    # Browsers keep what is typed into fields for autofill: not for confidential text.
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        strip=False,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 12, "autocomplete": "off"}),
    )


class RoleSearchForm(forms.Form):
    """Search the users on the roles page."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=150,
        help_text=_("User name or part of the name."),
    )


class RoleForm(forms.Form):
    """The roles one user holds. Taking one away is confirmed on a second page."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
