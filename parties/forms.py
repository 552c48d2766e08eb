"""Input for the referral (the case and its parties), adding participants, changing a party's
details and recording consent."""

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseKind, Urgency
from mediation.forms import form_field
from mediation.validators import (
    date_not_in_future,
    validate_email_one_line,
    validate_free_text,
    validate_single_line,
)
from parties.contact import CONTACT_FIELDS
from parties.languages import language_choices, language_name
from parties.models import (
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    ParticipantRole,
    Participation,
    Party,
    PartyKind,
)
from parties.needs import NEEDS_FIELDS
from parties.selectors import similar_parties
from parties.services import PARTY_FIELDS

NEW_RECORD = "new"


def language_field_choices(current: str = "") -> list[tuple[str, str]]:
    """Every language by its name in the interface language (CLDR); a value recorded before the
    list changed stays choosable for the party that has it."""
    choices = language_choices()
    if current and current not in dict(choices):
        choices.insert(0, (current, language_name(current)))
    return choices


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _verbose_name(model, field: str) -> str:
    return capfirst(model._meta.get_field(field).verbose_name)


class _PartyNameField(forms.ModelChoiceField):
    """A participation, shown by its party's name."""

    def label_from_instance(self, obj: Participation) -> str:
        return obj.party.name


class PartyForm(forms.ModelForm):
    """A party's details: who they are, how to reach them, what they need to take part.

    The model's validators run too (one line of text, no control characters, lengths).
    """

    kind = forms.ChoiceField(
        label=_("Kind of party"), choices=PartyKind.choices, widget=forms.RadioSelect
    )

    # The language lists are built per request, in the interface language (see __init__).
    preferred_language = forms.ChoiceField(
        label=capfirst(Party._meta.get_field("preferred_language").verbose_name),
        initial="nl",
        help_text=Party._meta.get_field("preferred_language").help_text,
    )
    # The needs are sealed (parties.needs), not model fields: declared here like the contact
    # details, passed to the services.
    interpreter_language = forms.ChoiceField(
        label=capfirst(_("interpreter needed for")),
        required=False,
        help_text=_("Leave empty when no interpreter is needed."),
    )
    other_needs = forms.CharField(
        label=capfirst(_("other accessibility needs")),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    # Contact details are sealed, not model fields: declared here, passed to the services.
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        validators=[validate_email_one_line],
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=500,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )

    class Meta:
        model = Party
        fields = [field for field in PARTY_FIELDS if field not in CONTACT_FIELDS]
        # These are someone else's details: the browser must not fill in the mediator's own.
        widgets = {
            "contact_channel": forms.RadioSelect,
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for field in (*CONTACT_FIELDS, *NEEDS_FIELDS):
                self.initial[field] = getattr(self.instance, field)
        channel = self.add_prefix("contact_channel")
        if self.is_bound and channel not in self.data:
            # Posted without it (a page from before the choice existed, a script): the channel
            # stays what it is, as if the radio button had been left alone.
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            data[channel] = self.instance.contact_channel
            self.data = data
        preferred = self.instance.preferred_language if self.instance.pk else ""
        interpreter = self.instance.interpreter_language if self.instance.pk else ""
        languages = language_field_choices(preferred)
        form_field(self, "preferred_language", forms.ChoiceField).choices = languages
        form_field(self, "interpreter_language", forms.ChoiceField).choices = [
            ("", _("No interpreter needed")),
            *language_field_choices(interpreter),
        ]

    def changed_fields(self) -> dict:
        """The cleaned values of the fields the user changed, for `party_update`."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class ParticipantAddForm(PartyForm):
    """A new participant: their details, their role, and whom a representative speaks for.

    When existing records look like the one being added, the form asks once more: use one of
    them, or confirm that this is someone new (`existing_party`).
    """

    role = forms.ChoiceField(
        label=_verbose_name(Participation, "role"),
        choices=ParticipantRole.choices,
        initial=ParticipantRole.PARTY,
        widget=forms.RadioSelect,
    )
    represents = _PartyNameField(
        label=_("Speaks for"),
        queryset=Participation.objects.none(),
        required=False,
        empty_label=_("Nobody (not a representative)"),
        help_text=_("Only for a representative: the party of this case they speak for."),
    )
    existing_party = forms.ChoiceField(
        label=_("Use an existing record?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose an existing record, or confirm that this is someone new.")
        },
    )

    def __init__(self, *args, case, candidates, **kwargs):
        """`candidates`: the parties the user may be shown as possible duplicates."""
        super().__init__(*args, **kwargs)
        form_field(self, "represents", _PartyNameField).queryset = (
            Participation.objects.active()
            .filter(case=case, role=ParticipantRole.PARTY)
            .select_related("party")
        )
        self.suggestions = []
        if self.is_bound:
            self.suggestions = similar_parties(
                name=self.data.get(self.add_prefix("name"), ""),
                email=self.data.get(self.add_prefix("email"), ""),
                among=candidates,
            )
        if self.suggestions:
            form_field(self, "existing_party", forms.ChoiceField).choices = [
                *((str(party.pk), _suggestion_label(party)) for party in self.suggestions),
                (NEW_RECORD, _("None of these: add a new record")),
            ]
        else:
            del self.fields["existing_party"]

    def clean_existing_party(self) -> Party | None:
        chosen = self.cleaned_data["existing_party"]
        return next((party for party in self.suggestions if str(party.pk) == chosen), None)

    def party_fields(self) -> dict:
        """The details of a new party record, for `party_create`."""
        return {name: self.cleaned_data[name] for name in PARTY_FIELDS}


def _suggestion_label(party: Party) -> str:
    # Name and organisation only: the record may come from a case of another mediator.
    label = _("Use the existing record:")
    if party.organisation:
        return format_html(
            "{} <bdi>{}</bdi> (<bdi>{}</bdi>)", label, party.name, party.organisation
        )
    return format_html("{} <bdi>{}</bdi>", label, party.name)


class ConsentForm(forms.Form):
    """A party's signed mediation agreement, or someone else's confidentiality statement."""

    signed_on = forms.DateField(widget=_date_input())
    signed_by = forms.CharField(
        required=False, max_length=NAME_MAX_LENGTH, validators=[validate_single_line]
    )

    def __init__(self, *args, participation: Participation, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        signed_on = self.fields["signed_on"]
        signed_on.initial = today
        signed_on.widget.attrs["max"] = today.isoformat()
        if participation.is_party:
            signed_on.label = _verbose_name(Participation, "consent_signed_on")
            signed_on.help_text = Participation._meta.get_field("consent_signed_on").help_text
            self.fields["signed_by"].label = _verbose_name(Participation, "consent_signed_by")
            self.fields["signed_by"].help_text = Participation._meta.get_field(
                "consent_signed_by"
            ).help_text
        else:
            signed_on.label = _verbose_name(Participation, "confidentiality_signed_on")
            signed_on.help_text = Participation._meta.get_field(
                "confidentiality_signed_on"
            ).help_text
            del self.fields["signed_by"]


class WithdrawalForm(forms.Form):
    """The day a party withdrew their consent."""

    withdrawn_on = forms.DateField(
        label=_verbose_name(Participation, "consent_withdrawn_on"),
        help_text=Participation._meta.get_field("consent_withdrawn_on").help_text,
        widget=_date_input(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["withdrawn_on"].initial = today
        self.fields["withdrawn_on"].widget.attrs["max"] = today.isoformat()

    def clean_withdrawn_on(self):
        # `consent_withdraw` does not check this itself (`consent_record` does).
        withdrawn_on = self.cleaned_data["withdrawn_on"]
        date_not_in_future(withdrawn_on)
        return withdrawn_on


class ReferralForm(forms.ModelForm):
    """What a coordinator tells about a conflict they refer."""

    kind = forms.ModelChoiceField(
        label=_("Kind of conflict"),
        queryset=CaseKind.objects.filter(active=True),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Case
        fields = [
            "kind",
            "title",
            "referring_organisation",
            "referral_reason",
            "urgency",
            "safety_concern",
            "woo_note",
        ]
        widgets = {
            "referral_reason": forms.Textarea(attrs={"rows": 6}),
            "woo_note": forms.Textarea(attrs={"rows": 3}),
        }


class ReferralPartyForm(forms.Form):
    """One party the coordinator names in the referral."""

    # The initial value lets an untouched extra row count as empty.
    kind = forms.ChoiceField(
        label=_("Kind of party"), choices=PartyKind.choices, initial=PartyKind.PERSON
    )
    name = forms.CharField(
        label=_("Name"), max_length=NAME_MAX_LENGTH, validators=[validate_single_line]
    )
    organisation = forms.CharField(
        label=_("Organisation or department"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        validators=[validate_single_line],
    )
    email = forms.EmailField(
        label=_("Email address"), required=False, validators=[validate_email_one_line]
    )


MAX_REFERRAL_PARTIES = 12
REFERRAL_PARTY_ROWS = 3
REFERRAL_PARTY_FIELDS = ("kind", "name", "organisation", "email")


class BaseReferralPartyFormSet(forms.BaseFormSet):
    """The parties of a referral: three rows to start, one more per "Add another party"."""

    default_error_messages = {
        "too_many_forms": _(
            "A referral names at most %(num)d parties. Name the others in the reason, or let "
            "the mediator add them at intake."
        ),
    }

    def initial_form_count(self):
        # Every row may stay empty, also the ones carried over from "Add another party".
        return 0

    def clean(self):
        super().clean()
        named = [form for form in self.forms if form.cleaned_data.get("name")]
        if not named:
            raise forms.ValidationError(_("Name at least one party of the conflict."))


def referral_party_formset(data=None, *, rows: list[dict] | None = None):
    """The referral's party rows: bound to `data`, or showing `rows` (what was typed so far)
    with one empty row more, up to MAX_REFERRAL_PARTIES."""
    extra = REFERRAL_PARTY_ROWS if rows is None else min(len(rows) + 1, MAX_REFERRAL_PARTIES)
    formset = forms.formset_factory(
        ReferralPartyForm,
        formset=BaseReferralPartyFormSet,
        extra=extra,
        max_num=MAX_REFERRAL_PARTIES,
        absolute_max=MAX_REFERRAL_PARTIES,
        validate_max=True,
    )
    return formset(data, prefix="party", initial=rows)


def referral_party_rows(data) -> list[dict]:
    """The party rows as typed (unvalidated), to show them again with one row more."""
    try:
        total = min(int(data.get("party-TOTAL_FORMS", 0)), MAX_REFERRAL_PARTIES)
    except ValueError:
        total = 0
    rows = [
        {field: data.get(f"party-{index}-{field}", "") for field in REFERRAL_PARTY_FIELDS}
        for index in range(max(total, 0))
    ]
    for row in rows:
        row["kind"] = row["kind"] or PartyKind.PERSON
    return rows
