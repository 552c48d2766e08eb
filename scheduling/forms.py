"""Input for planning sessions, inviting people, answering invites and calendar feeds."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediation.forms import form_field
from mediation.validators import validate_free_text
from parties.models import Participation
from parties.selectors import participation_list
from scheduling import selectors
from scheduling.models import NOTES_MAX_LENGTH, PLACE_MAX_LENGTH, Rsvp, Session, SessionKind
from scheduling.times import AMSTERDAM, local_datetime


class _DateInput(forms.DateInput):
    input_type = "date"


class _TimeInput(forms.TimeInput):
    input_type = "time"


def _participant_label(participation: Participation) -> str:
    return f"{participation.party.name} ({participation.get_role_display()})"


class ParticipantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participation) -> str:
        return _participant_label(obj)


class OneParticipantField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Participation) -> str:
        return _participant_label(obj)


class SessionForm(forms.Form):
    """When and where a session takes place; on planning, also whom to invite.

    The date and times are typed as Dutch wall-clock times; a time that does not exist or
    happens twice on a DST night is refused with a message that says so. A party already
    booked elsewhere at that time is a warning: tick `overlap_confirmed` to go on.
    """

    kind = forms.ChoiceField(
        label=_("Kind of session"), choices=SessionKind.choices, widget=forms.RadioSelect
    )
    date = forms.DateField(label=_("Date"), widget=_DateInput(format="%Y-%m-%d"))
    starts_at = forms.TimeField(label=_("Start time"), widget=_TimeInput(format="%H:%M"))
    ends_at = forms.TimeField(label=_("End time"), widget=_TimeInput(format="%H:%M"))
    place = forms.CharField(
        label=_("Place"),
        max_length=PLACE_MAX_LENGTH,
        required=False,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Address and room. Leave empty for an online session. Shown in the invites."),
    )
    online_link = forms.URLField(
        label=_("Online link"),
        max_length=PLACE_MAX_LENGTH,
        required=False,
        assume_scheme="https",
        help_text=_("The video call link, for an online session. Shown in the invites."),
    )
    step_free_access = forms.BooleanField(label=_("The place has step-free access"), required=False)
    accessibility_notes = forms.CharField(
        label=_("Practical arrangements"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown in every invite, e.g. 'Entrance at the side, lift to the second floor'. "
            "No names, health details or anything said in the mediation."
        ),
    )
    participations = ParticipantChoiceField(
        label=_("Invite"),
        queryset=Participation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each person gets an invitation of their own. The mediators are invited too."),
    )
    overlap_confirmed = forms.BooleanField(
        label=_("Plan it anyway"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, case, session: Session | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.session = case, session
        self.overlaps: list[str] = []
        if session is None:
            participations = form_field(self, "participations", ParticipantChoiceField)
            participations.queryset = participation_list(case=case)
        else:
            # Changing a session keeps its invitees; they are managed on the session page.
            del self.fields["participations"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, start, end = data.get("date"), data.get("starts_at"), data.get("ends_at")
        if day and start and end:
            try:
                data["starts_at"] = local_datetime(day, start, field="starts_at")
                data["ends_at"] = local_datetime(day, end, field="ends_at")
            except ValidationError as error:
                self.add_error(None, error)  # a dict: the message lands on its field
            else:
                if data["ends_at"] <= data["starts_at"]:
                    self.add_error("ends_at", _("The session must end after it starts."))
                elif data["starts_at"] < timezone.now():
                    self.add_error("date", _("Plan the session for a moment that is still ahead."))
        if not data.get("place", "").strip() and not data.get("online_link"):
            self.add_error("place", _("Give a place, or a link for an online session (or both)."))
        if not self.errors:
            self._warn_about_overlaps(data)
        return data

    def _warn_about_overlaps(self, data) -> None:
        if self.session is None:
            invited = data.get("participations") or []
        else:
            invited = [
                a.participation
                for a in self.session.attendees.active()
                .filter(participation__isnull=False)
                .select_related("participation__party")
            ]
        self.overlaps = selectors.party_overlaps(
            participations=invited,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            exclude=self.session,
        )
        if self.overlaps and not data.get("overlap_confirmed"):
            # Show the warning once; the next submit of the same form goes through.
            self.fields["overlap_confirmed"].widget = forms.CheckboxInput()
            self.add_error(
                "overlap_confirmed",
                _(
                    "%(names)s already has another session at this time. Tick the box to plan "
                    "it anyway."
                )
                % {"names": ", ".join(self.overlaps)},
            )

    def service_values(self) -> dict:
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "kind",
                "starts_at",
                "ends_at",
                "place",
                "online_link",
                "step_free_access",
                "accessibility_notes",
            )
        }
        if "participations" in self.fields:
            values["participations"] = list(data["participations"])
        return values

    @classmethod
    def initial_for(cls, session: Session) -> dict:
        start = timezone.localtime(session.starts_at, AMSTERDAM)
        end = timezone.localtime(session.ends_at, AMSTERDAM)
        return {
            "kind": session.kind,
            "date": start.date(),
            "starts_at": start.time(),
            "ends_at": end.time(),
            "place": session.place,
            "online_link": session.online_link,
            "step_free_access": session.step_free_access,
            "accessibility_notes": session.accessibility_notes,
        }


class AttendeeAddForm(forms.Form):
    """Invite one more participant of the case to a planned session."""

    participation = OneParticipantField(
        label=_("Participant"), queryset=Participation.objects.none()
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        invited = session.attendees.active().filter(participation__isnull=False)
        form_field(self, "participation", OneParticipantField).queryset = participation_list(
            case=session.case
        ).exclude(pk__in=invited.values("participation_id"))


RSVP_ANSWERS = [
    (Rsvp.ACCEPTED, _("I will come")),
    (Rsvp.TENTATIVE, _("I may come")),
    (Rsvp.DECLINED, _("I cannot come")),
]


class RsvpForm(forms.Form):
    """An invitee's answer, given on the page their answer link opens."""

    answer = forms.ChoiceField(
        label=_("Your answer"), choices=RSVP_ANSWERS, widget=forms.RadioSelect
    )
