"""Input for planning sessions, inviting people, answering invites and calendar feeds."""

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from mediation.forms import form_field
from mediation.types import User
from mediation.validators import date_not_in_future, validate_free_text
from parties.models import Participation
from parties.selectors import participation_list
from scheduling import selectors
from scheduling.models import (
    DURATION_MAX_MINUTES,
    NOTES_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    Attendee,
    Rsvp,
    Session,
    SessionChannel,
    SessionKind,
)
from scheduling.services import attended_by_default
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


class MediatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class AttendeeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Attendee) -> str:
        if obj.participation is not None:
            return _participant_label(obj.participation)
        return f"{obj.display_name} ({_('mediator')})"


def case_mediators(case: Case) -> list[User]:
    """The case's lead mediator first, then its co-mediators."""
    others = [user for user in case.co_mediators.all() if user.pk != case.lead_mediator_id]
    lead = [case.lead_mediator] if case.lead_mediator is not None else []
    return [*lead, *others]


DURATION_ERRORS = {
    "required": _("Give the duration in minutes."),
    "invalid": _("Give the duration as a whole number of minutes."),
    "min_value": _("The duration must be at least 1 minute."),
    "max_value": _("The duration can be at most %(limit_value)s minutes (a day)."),
}


def _duration_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Duration in minutes"),
        min_value=1,
        max_value=DURATION_MAX_MINUTES,
        error_messages=DURATION_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


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
        self.step_free: list[str] = []
        # Who cannot be invited to a joint or group session, and why (rule 7b): the page says
        # so next to the list, not silently.
        self.left_out: list[str] = []
        if session is None:
            participations = form_field(self, "participations", ParticipantChoiceField)
            participations.queryset = participation_list(case=case)
            self.left_out = [
                reason
                for reason in map(selectors.consent_missing, participations.queryset)
                if reason
            ]
        else:
            # Changing a session keeps its invitees; they are managed on the session page.
            del self.fields["participations"]

    @property
    def warnings(self) -> bool:
        """Something to confirm: a party booked elsewhere, or a place that has steps."""
        return bool(self.overlaps or self.step_free)

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
                elif data["starts_at"] < timezone.now() and self._start_changed(data):
                    self.add_error(
                        "date",
                        _(
                            "Plan the session for a moment that is still ahead. To record a "
                            "session that took place, use 'Record a session afterwards'."
                        ),
                    )
        if not data.get("place", "").strip() and not data.get("online_link"):
            self.add_error("place", _("Give a place, or a link for an online session (or both)."))
        invited = self._invited(data)
        if data.get("kind") and selectors.needs_consent(data["kind"]):
            missing = [reason for reason in map(selectors.consent_missing, invited) if reason]
            if missing:
                self.add_error(
                    "participations" if self.session is None else "kind",
                    _(
                        "A joint or group session invites only people whose mediation "
                        "agreement or confidentiality statement is recorded. %(reasons)s"
                    )
                    % {"reasons": " ".join(missing)},
                )
        # Every clash at once: the mediators' double bookings (errors) and the warnings.
        start, end = data.get("starts_at"), data.get("ends_at")
        if isinstance(start, datetime) and isinstance(end, datetime) and end > start:
            self._check_clashes(data, invited)
        return data

    def _start_changed(self, data) -> bool:
        return self.session is None or data["starts_at"] != self.session.starts_at

    def _invited(self, data) -> list[Participation]:
        if self.session is None:
            return list(data.get("participations") or [])
        return [
            a.participation
            for a in self.session.attendees.active()
            .filter(participation__isnull=False)
            .select_related("participation__party")
            if a.participation is not None
        ]

    def _mediators(self) -> list[User]:
        if self.session is None:
            return case_mediators(self.case)
        invited = self.session.attendees.active().filter(user__isnull=False).select_related("user")
        return [self.session.organizer, *(a.mediator for a in invited)]

    def _check_clashes(self, data, invited: list[Participation]) -> None:
        for message in selectors.mediator_double_bookings(
            users=self._mediators(),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            exclude=self.session,
        ):
            self.add_error("date", message)
        self.overlaps = selectors.party_overlaps(
            participations=invited,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            exclude=self.session,
        )
        if data.get("place", "").strip() and not data.get("step_free_access"):
            self.step_free = selectors.step_free_needed(participations=invited)
        if self.warnings and not data.get("overlap_confirmed"):
            # Show the warnings once; the next submit of the same form goes through.
            self.fields["overlap_confirmed"].widget = forms.CheckboxInput()
            if self.overlaps:
                self.add_error(
                    "overlap_confirmed",
                    _(
                        "%(names)s already has another session at this time. Tick the box to "
                        "plan it anyway."
                    )
                    % {"names": ", ".join(self.overlaps)},
                )
            if self.step_free:
                self.add_error(
                    "overlap_confirmed",
                    _(
                        "%(names)s needs step-free access, and the place has none. Choose "
                        "another place, or tick the box to plan it anyway."
                    )
                    % {"names": ", ".join(self.step_free)},
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


class SessionHeldForm(forms.Form):
    """Mark a session as held: who attended and how long it took."""

    attended = AttendeeChoiceField(
        label=_("Who attended"),
        queryset=Attendee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Those who did not decline are ticked. Untick whoever did not come."),
    )
    duration_minutes = _duration_field(
        help_text=_("How long the session took. The contact hours add these up.")
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        active = session.attendees.active().select_related("participation__party__key", "user")
        attended = form_field(self, "attended", AttendeeChoiceField)
        attended.queryset = active.order_by("user_id", "added_at", "id")
        self.initial.setdefault(
            "attended", [a.pk for a in attended.queryset if attended_by_default(a)]
        )
        self.initial.setdefault("duration_minutes", session.planned_minutes)


class SessionRecordForm(forms.Form):
    """A session that took place without invites: a phone call, an unplanned meeting."""

    kind = forms.ChoiceField(
        label=_("Kind of session"), choices=SessionKind.choices, widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(
        label=_("How it took place"), choices=SessionChannel.choices, widget=forms.RadioSelect
    )
    date = forms.DateField(label=_("Date"), widget=_DateInput(format="%Y-%m-%d"))
    starts_at = forms.TimeField(label=_("Start time"), widget=_TimeInput(format="%H:%M"))
    duration_minutes = _duration_field()
    place = forms.CharField(
        label=_("Place (optional)"),
        max_length=PLACE_MAX_LENGTH,
        required=False,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where you met. Leave empty for a phone or video call."),
    )
    participations = ParticipantChoiceField(
        label=_("Participants who took part"),
        queryset=Participation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose who took part.")},
    )
    mediators = MediatorChoiceField(
        label=_("Mediators who took part"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the mediators who took part.")},
    )

    def __init__(self, *args, case: Case, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        form_field(self, "participations", ParticipantChoiceField).queryset = participation_list(
            case=case
        )
        mediators = case_mediators(case)
        form_field(self, "mediators", MediatorChoiceField).queryset = User.objects.filter(
            pk__in=[user.pk for user in mediators]
        ).order_by("first_name", "last_name", "username")
        if actor in mediators:
            self.initial.setdefault("mediators", [actor.pk])
        self.initial.setdefault("channel", SessionChannel.PHONE)
        self.initial.setdefault("date", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, start = data.get("date"), data.get("starts_at")
        if day:
            try:
                date_not_in_future(day, field="date")
            except ValidationError as error:
                self.add_error(None, error)
                return data
        if day and start:
            try:
                data["starts_at"] = local_datetime(day, start, field="starts_at")
            except ValidationError as error:
                self.add_error(None, error)
            else:
                if data["starts_at"] > timezone.now():
                    self.add_error(
                        "starts_at", _("A session can be recorded only once it has taken place.")
                    )
        return data

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "channel": data["channel"],
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "place": data["place"],
            "participations": list(data["participations"]),
            "mediators": list(data["mediators"]),
        }


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


def party_answer_label(rsvp: str) -> str:
    """The answer in the words the invitee chose it with ("I will come"), not the mediator's."""
    labels: dict[str, Any] = dict(RSVP_ANSWERS)
    return str(labels.get(rsvp, Rsvp(rsvp).label))


class AnswerForm(forms.Form):
    """A participant's answer, given by letter or phone, recorded by the mediator."""

    answer = forms.ChoiceField(
        label=_("Their answer"),
        choices=[
            (Rsvp.ACCEPTED, _("They will come")),
            (Rsvp.TENTATIVE, _("They may come")),
            (Rsvp.DECLINED, _("They will not come")),
        ],
    )
